import Foundation
import Testing
import TrailModel
import TrailTestSupport

@Suite("keytrail scan, as a user runs it")
struct ScanCommandTests {
    /// Two files of a small, fixed archive, uncompressed so every byte count in the output is exact.
    static func smallArchive() -> ArchiveBuilder {
        let archive = ArchiveBuilder(label: "cli")
        archive.addLog(
            [
                RecordBuilder {
                    $0.eventTime = "2026-11-02T09:15:00Z"
                    $0.eventName = "ListBuckets"
                },
                RecordBuilder {
                    $0.eventTime = "2026-11-02T09:16:30Z"
                    $0.eventName = "GetObject"
                    $0.errorCode = "AccessDenied"
                },
                RecordBuilder {
                    $0.eventTime = "2026-11-02T11:00:00Z"
                    $0.identityType = "AssumedRole"
                    $0.accessKeyId = "ASIAY34FZKBOKMUTVV7A"
                    $0.userName = nil
                    $0.arn = "arn:aws:sts::111122223333:assumed-role/deploy/ci"
                    $0.sessionIssuer = ("Role", "arn:aws:iam::111122223333:role/deploy", "deploy")
                    $0.eventSource = "ec2.amazonaws.com"
                    $0.eventName = "DescribeInstances"
                    $0.userAgent = "Boto3/1.35.36 \u{1B}]0;pwned\u{07}"
                },
            ], delivered: "2026-11-02T23:55:00Z", gzip: false)
        archive.addLog(
            [
                RecordBuilder {
                    $0.eventTime = "2026-11-03T10:00:00Z"
                    $0.eventName = "PutObject"
                    $0.awsRegion = "eu-west-1"
                    $0.sourceIPAddress = "198.51.100.7"
                },
                RecordBuilder {
                    $0.eventTime = "2026-11-03T10:05:00Z"
                    $0.eventSource = "signin.amazonaws.com"
                    $0.eventName = "ConsoleLogin"
                    $0.accessKeyId = nil
                    $0.awsRegion = "eu-west-1"
                    $0.sourceIPAddress = "198.51.100.7"
                    $0.userAgent = "Mozilla/5.0 \u{1B}[2J\u{1B}]0;owned\u{07}"
                    $0.responseElements = #"{"ConsoleLogin":"Success"}"#
                    $0.additionalEventData = #"{"MFAUsed":"No"}"#
                },
            ], region: "eu-west-1", delivered: "2026-11-03T23:55:00Z", gzip: false)
        return archive
    }

    @Test("text output: the summary and the key table, long-term keys first, log values escaped")
    func textOutput() throws {
        let archive = Self.smallArchive()
        let outcome = try CommandRunner.run(["scan", archive.root, "--progress", "never"])
        #expect(outcome.status == 0)
        #expect(outcome.standardError == "")
        let expected = """
            keytrail scan: 2 event files, 5 records, 3.8 KiB of JSON from 3.8 KiB read
              1 records without an access key
              events from 2026-11-02T09:15:00Z to 2026-11-03T10:05:00Z
              accounts: 111122223333
              regions: us-east-1 (3), eu-west-1 (2)
              as of 2026-11-03T10:05:00Z (the newest event)

            Access keys: 2 (1 long-term, 1 temporary)

              KEY                   KIND       PRINCIPAL                EVENTS  ERRORS  FIRST SEEN  LAST SEEN   DAYS  IPS  TOP API
              AKIAIOSFODNN7EXAMPLE  long-term  alice (IAMUser)               3       1  2026-11-02  2026-11-03     2    2  GetObject (1)
              ASIAY34FZKBOKMUTVV7A  temporary  deploy/ci (AssumedRole)       1       0  2026-11-02  2026-11-02     1    1  DescribeInstances (1)

            Findings: 1 (1 medium)

            MEDIUM
              [console-login-without-mfa] Console sign-in without MFA by alice
                alice (IAMUser) · account 111122223333 · 2026-11-03T10:05:00Z · 1 event
                user: alice
                sourceIPAddress: 198.51.100.7
                userAgent: Mozilla/5.0 \\x1b[2J\\x1b]0;owned\\x07
                fix: Enable MFA for the user (root: always) and deny actions without MFA.

            """
        #expect(outcome.standardOutput == expected)
        #expect(!outcome.standardOutput.contains("\u{1B}"))
    }

    @Test("--format json prints exactly the keytrail.scan/1 document (golden file)")
    func jsonOutput() throws {
        let archive = Self.smallArchive()
        let outcome = try CommandRunner.run(["scan", "--format", "json", archive.root])
        #expect(outcome.status == 0, "a medium finding is below the default --fail-on high")
        let golden = Fixtures.folder + "/golden/scan-small.json"
        if ProcessInfo.processInfo.environment["KEYTRAIL_UPDATE_GOLDEN"] != nil {
            Fixtures.write(outcome.standardOutput, to: golden)
        }
        #expect(outcome.standardOutput == String(decoding: Fixtures.read(golden), as: UTF8.self))
        let document = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        #expect(document?["schema"] as? String == "keytrail.scan/1")
    }

    @Test("stdin: gzip or plain, detected from the bytes")
    func standardInput() throws {
        let document = RecordBuilder.document([RecordBuilder(), RecordBuilder { $0.eventName = "PutObject" }])
        for input in [Gzip.compress(document), Array(document.utf8)] {
            let outcome = try CommandRunner.run(["scan", "--format", "json", "-"], input: input)
            #expect(outcome.status == 0)
            let parsed = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            let stats = parsed?["stats"] as? [String: Any]
            #expect(stats?["records"] as? Int == 2)
            #expect((parsed?["keys"] as? [Any])?.count == 1)
        }
    }

    @Test("unreadable inputs: exit 3, named on stderr, the rest still read")
    func inputErrors() throws {
        let archive = Self.smallArchive()
        archive.addFile("broken.json.gz", [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02])
        let outcome = try CommandRunner.run(["scan", "--format", "json", archive.root])
        #expect(outcome.status == 3)
        #expect(outcome.standardError.contains("keytrail: warning: \(archive.root)/broken.json.gz: truncated gzip"))
        #expect(outcome.standardOutput.contains("\"records\": 5"))
        let text = try CommandRunner.run(["scan", archive.root])
        #expect(text.status == 3)
        #expect(text.standardOutput.contains("Inputs that could not be read completely (1):"))
    }

    @Test(
        "usage errors exit 2 with a message that says what to do",
        arguments: [
            (["scan"], "Give at least one log file or folder"),
            (["scan", "--since", "last tuesday", "x"], "--since"),
            (["scan", "--jobs", "0", "x"], "--jobs must be at least 1"),
            (["scan", "--format", "xml", "x"], "--format"),
            (["scan", "--no-such-flag", "x"], "no-such-flag"),
            (["scan", "--since", "2026-11-05", "--until", "2026-11-01", "x"], "is after --until"),
            (["scan", "--reprocess-changed", "SampleLogs"], "--reprocess-changed needs a state store"),
            (["scan", "--state", "/tmp/x.db", "--no-state", "x"], "cannot be given together"),
            (["scan", "--realert-after", "soon", "--state", "/tmp/x.db", "x"], "--realert-after"),
            (["findings"], "Give the state store with --state FILE or KEYTRAIL_STATE"),
            (["findings", "suppress", "0123456789abcdef", "--state", "/tmp/none.db"], "--reason"),
            (["keys", "--state", "/tmp/keytrail-no-such-store.db"], "does not exist; run keytrail scan --state"),
        ] as [([String], String)])
    func usageErrors(arguments: [String], message: String) throws {
        let outcome = try CommandRunner.run(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    }

    @Test("--help teaches: examples and exit codes")
    func help() throws {
        let scan = try CommandRunner.run(["scan", "--help"])
        #expect(scan.status == 0)
        #expect(scan.standardOutput.contains("keytrail scan SampleLogs"))
        #expect(scan.standardOutput.contains("--max-record-size"))
        let root = try CommandRunner.run(["--help"])
        #expect(root.status == 0)
        #expect(root.standardOutput.contains("Exit codes"))
    }

    @Test("the bundled SampleLogs with their credential report: every finding of the story, and exit 1")
    func sampleLogsFindings() throws {
        let outcome = try CommandRunner.run([
            "scan", "SampleLogs", "--inventory", "SampleLogs/credential-report.csv", "--format", "json",
        ])
        #expect(outcome.status == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let found = try #require(document["findings"] as? [[String: Any]])
        let summary = found.map { "\($0["severity"]!) \($0["rule"]!) \($0["title"]!)" }
        #expect(
            summary == [
                "critical cloudtrail-logging-disabled CloudTrail trail arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail stopped",
                "critical root-access-key Root user of 111122223333 has an access key (AKIAITJNT6WR3DBVMLO3)",
                "high access-key-created-for-other-user Access key created for bob by arn:aws:iam::111122223333:user/alice",
                "high access-key-not-rotated Not rotated for 637 days: ci-deploy's access key 2",
                "high access-key-not-rotated Not rotated for 1288 days: access key AKIAA7UFIVUPXO2NNMBJ of legacy-backup",
                "high access-key-not-rotated Not rotated for 1021 days: access key AKIA5WWNS24NGAWDNHZ4 of ci-deploy",
                "high console-login-without-mfa Console sign-in without MFA by root",
                "high credential-scanner-user-agent Key AKIABWXY4SG2DZGWRTBX used by trufflehog",
                "high long-term-key-many-networks Long-term key AKIA5WWNS24NGAWDNHZ4 used from 7 networks on 2026-11-01",
                "high long-term-key-workload Used by a workload where a role would fit: long-term access key AKIA5WWNS24NGAWDNHZ4 of ci-deploy",
                "high root-activity Root user of account 111122223333 active (ConsoleLogin)",
                "high root-activity Root user of account 111122223333 active (ListUsers)",
                "high s3-bucket-made-public S3 bucket marketing-assets made public by its ACL",
                "medium access-denied-burst 24 access-denied errors in 10 minutes by bob",
                "medium access-key-not-rotated Not rotated for 317 days: svc-reporting's access key 1",
                "medium access-key-not-rotated Not rotated for 180 days: access key AKIALYGJ7OAP27DSPHDJ of alice",
                "medium unused-access-key Never used: ci-deploy's access key 2",
                "medium unused-access-key Never used: svc-reporting's access key 1",
                "medium unused-access-key Unused for 100 days: access key AKIAA7UFIVUPXO2NNMBJ of legacy-backup",
                "low long-term-key-workload Used by a workload where a role would fit: long-term access key AKIAA7UFIVUPXO2NNMBJ of legacy-backup",
                "low multiple-active-keys User ci-deploy has 2 active access keys",
            ])
        for finding in found {
            #expect(finding["schema"] as? String == "keytrail.finding/1")
            #expect((finding["id"] as? String)?.count == 32)
        }
        // --fail-on none keeps exit 0; --fail-on critical still fails (two critical findings).
        let relaxed = try CommandRunner.run(["scan", "SampleLogs", "--fail-on", "none", "--format", "json"])
        #expect(relaxed.status == 0)
        let strict = try CommandRunner.run(["scan", "SampleLogs", "--fail-on", "critical", "--format", "json"])
        #expect(strict.status == 1)
    }

    @Test("the bundled SampleLogs: the README's main command")
    func sampleLogs() throws {
        let outcome = try CommandRunner.run(["scan", "SampleLogs", "--format", "json", "--fail-on", "none"])
        #expect(outcome.status == 0)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let stats = try #require(document["stats"] as? [String: Any])
        #expect(stats["files"] as? Int == 197)
        #expect(stats["skippedFiles"] as? Int == 1)
        #expect(stats["records"] as? Int == 2_889)
        #expect(stats["invalidRecords"] as? Int == 0)
        #expect(stats["ignoredFiles"] as? Int == 1)
        let keys = try #require(document["keys"] as? [[String: Any]])
        #expect(keys.count == 54)
        let longTerm = keys.filter { $0["kind"] as? String == "long-term" }.compactMap {
            ($0["principal"] as? [String: Any])?["userName"] as? String ?? ($0["principal"] as? [String: Any])?["type"]
                as? String
        }
        #expect(Set(longTerm) == ["alice", "bob", "carol", "ci-deploy", "legacy-backup", "Root"])
    }
}
