import Testing
import TrailEngine
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Rules over the real records")
struct RealRecordRuleTests {
    static func scan(_ folder: String) -> ScanResult {
        let files = LogSource(paths: [Fixtures.realData + "/" + folder]).discover().files
            .filter { $0.displayPath.hasSuffix(".json.gz") }
        return ScanPipeline(options: ScanOptions(paths: [])).run(
            inputs: files.map { (Fixtures.read($0.displayPath), InputFormat.document) })
    }

    @Test("console sign-ins: the eight successes without MFA, not those with MFA or that failed")
    func consoleSignIns() {
        let result = Self.scan("awsdocs-cloudtrail-user-guide")
        let withoutMFA = result.findings.filter { $0.rule == "console-login-without-mfa" }
        // Seven in the CloudTrail guide (five IAM users, two root), one in the IAM guide: eight.
        #expect(withoutMFA.reduce(0) { $0 + $1.eventCount } == 7)
        #expect(withoutMFA.filter { $0.principal?.type == "Root" }.allSatisfy { $0.severity == .high })
        let iam = Self.scan("awsdocs-iam-user-guide").findings.filter { $0.rule == "console-login-without-mfa" }
        #expect(iam.reduce(0) { $0 + $1.eventCount } == 1)
    }

    @Test("root's console sign-ins and calls are root activity; failed sign-ins are not")
    func rootActivity() {
        let result = Self.scan("awsdocs-cloudtrail-user-guide")
        let root = result.findings.filter { $0.rule == "root-activity" }
        let names = Set(
            root.flatMap {
                $0.evidence["eventNames"]?.objectMembers?.map(\.key) ?? [$0.evidence["eventName"]?.stringValue ?? ""]
            })
        #expect(names.isSuperset(of: ["ConsoleLogin", "EnableMFADevice"]))
        #expect(root.reduce(0) { $0 + $1.eventCount } == 7)
    }

    @Test("the S3 guide's PutBucketAcl grants only the owner: no public bucket")
    func ownerOnlyACL() {
        #expect(Self.scan("awsdocs-amazon-s3-userguide").findings.filter { $0.rule == "s3-bucket-made-public" }.isEmpty)
    }
}
