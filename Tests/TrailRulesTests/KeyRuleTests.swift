import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("Key rules: unused, rotation, root, workloads, networks, deactivation")
struct KeyRuleTests {
    static let header =
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
        + "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
        + "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
        + "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
        + "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"

    /// A report row: key 1 `active` rotated at `rotated`, last used `used`; key 2 as given.
    static func row(
        _ user: String, _ active: Bool, rotated: String, used: String = "N/A", key2: (Bool, String, String)? = nil
    ) -> String {
        let second = key2.map { "\($0.0),\($0.1),\($0.2),us-east-1,s3" } ?? "false,N/A,N/A,N/A,N/A"
        return "\(user),arn:aws:iam::111122223333:user/\(user),2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,"
            + "\(active),\(rotated),\(used),us-east-1,s3,\(second),false,N/A,false,N/A\n"
    }

    static let now = "2026-11-28T12:00:00Z"
    static let activity = [RecordBuilder { $0.eventTime = now }]

    @Test(
        "unused-access-key from the report's last-used date",
        arguments: [
            ("2026-08-01T00:00:00+00:00", true), ("2026-10-20T00:00:00+00:00", false), ("N/A", true),
        ])
    func unusedFromReport(used: String, fires: Bool) {
        let report = inventory(Self.header + Self.row("carol", true, rotated: "2025-01-01T00:00:00+00:00", used: used))
        let found = findings(of: "unused-access-key", Self.activity, inventory: report, asOf: Self.now)
        #expect(found.count == (fires ? 1 : 0))
        if used == "N/A" {
            #expect(found.first?.title.hasPrefix("Never used") == true)
            // The scanned logs cover only the last moment, so the finding says the window is not covered.
            let notes = found.first?.evidence["coverage"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(notes.contains { $0.hasPrefix("the logs start 2026-11-28") })
        }
    }

    @Test("recent use in the logs outweighs an old report date")
    func logsOutweighReport() {
        let report = inventory(
            Self.header
                + Self.row("alice", true, rotated: "2025-01-01T00:00:00+00:00", used: "2026-01-01T00:00:00+00:00"))
        #expect(findings(of: "unused-access-key", Self.activity, inventory: report, asOf: Self.now).isEmpty)
    }

    @Test("a key created within the grace period is not unused yet; the CIS profile uses 45 days")
    func graceAndProfile() {
        let fresh = inventory(Self.header + Self.row("dave", true, rotated: "2026-11-25T00:00:00+00:00"))
        #expect(findings(of: "unused-access-key", Self.activity, inventory: fresh, asOf: Self.now).isEmpty)
        let sixtyDays = inventory(
            Self.header
                + Self.row("erin", true, rotated: "2025-01-01T00:00:00+00:00", used: "2026-09-29T00:00:00+00:00"))
        #expect(findings(of: "unused-access-key", Self.activity, inventory: sixtyDays, asOf: Self.now).isEmpty)
        #expect(
            findings(
                of: "unused-access-key", Self.activity, configuration: Configuration(profile: .cis),
                inventory: sixtyDays,
                asOf: Self.now
            ).count == 1)
    }

    @Test("without an inventory: a long-term key quiet for months is reported at low severity, with notes")
    func logsOnly() throws {
        let records = [
            RecordBuilder {
                $0.eventTime = "2026-07-01T00:00:00Z"
                $0.accessKeyId = "AKIAQUIETKEY00000001"
                $0.awsRegion = "eu-west-1"
            },
            RecordBuilder {
                $0.eventTime = Self.now
                $0.awsRegion = "eu-west-1"
            },
        ]
        let found = findings(of: "unused-access-key", records)
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.accessKeyId == "AKIAQUIETKEY00000001")
        #expect(finding.severity == .low)
        #expect(finding.evidence["daysUnused"]?.integerValue == 150)
        // The logs reach back before the 90-day window, so only the missing region is noted.
        let notes = finding.evidence["coverage"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.count == 1)
        #expect(notes.first?.contains("us-east-1") == true)
    }

    @Test("a key created in the logs and never used is known without an inventory")
    func createdNeverUsed() {
        let records = [
            RecordBuilder {
                $0.eventTime = "2026-06-01T00:00:00Z"
                $0.call("iam.amazonaws.com", "CreateAccessKey", #"{"userName":"svc"}"#)
                $0.responseElements =
                    #"{"accessKey":{"accessKeyId":"AKIANEVERUSED0000001","status":"Active","userName":"svc"}}"#
            },
            RecordBuilder { $0.eventTime = Self.now },
        ]
        let found = findings(of: "unused-access-key", records)
        #expect(found.map(\.accessKeyId) == ["AKIANEVERUSED0000001"])
        #expect(found.first?.title.hasPrefix("Never used") == true)
    }

    @Test("access-key-not-rotated and multiple-active-keys from the report")
    func rotationAndMultiple() {
        let report = inventory(
            Self.header
                + Self.row(
                    "frank", true, rotated: "2026-01-01T00:00:00+00:00", used: "2026-11-27T00:00:00+00:00",
                    key2: (true, "2026-11-01T00:00:00+00:00", "2026-11-27T00:00:00+00:00"))
                + Self.row(
                    "gina", true, rotated: "2026-11-01T00:00:00+00:00", used: "2026-11-27T00:00:00+00:00",
                    key2: (false, "2025-01-01T00:00:00+00:00", "N/A")))
        let old = findings(of: "access-key-not-rotated", Self.activity, inventory: report, asOf: Self.now)
        #expect(old.map(\.title) == ["Not rotated for 331 days: frank's access key 1"])
        let multiple = findings(of: "multiple-active-keys", Self.activity, inventory: report, asOf: Self.now)
        #expect(multiple.map { $0.evidence["user"]?.stringValue } == ["frank"])
    }

    @Test("root-access-key: an active root key in the report, root creating a key, root signing with AKIA")
    func rootAccessKey() {
        let report = inventory(
            Self.header
                + "<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,N/A,"
                + "not_supported,not_supported,true,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
                + "false,N/A,false,N/A\n")
        #expect(findings(of: "root-access-key", Self.activity, inventory: report).count == 1)
        let created = RecordBuilder {
            $0.asRoot()
            $0.accessKeyId = ""
            $0.call("iam.amazonaws.com", "CreateAccessKey", #"{}"#)
            $0.responseElements = #"{"accessKey":{"accessKeyId":"AKIAROOTKEY000000001","status":"Active"}}"#
        }
        #expect(findings(of: "root-access-key", [created]).map(\.accessKeyId) == ["AKIAROOTKEY000000001"])
        let signed = RecordBuilder {
            $0.asRoot()
            $0.accessKeyId = "AKIAROOTKEY000000002"
        }
        #expect(findings(of: "root-access-key", [signed]).first?.severity == .critical)
        let console = RecordBuilder {
            $0.asRoot()
            $0.accessKeyId = "ASIAROOTCONSOLE00001"
        }
        #expect(findings(of: "root-access-key", [console]).isEmpty)
    }

    /// A key used every hour of a fortnight by a CI system from EC2 addresses.
    static var ciKey: [RecordBuilder] {
        (0..<(14 * 24)).map { hour in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_793_491_200 + Int64(hour) * 3_600)
                $0.accessKeyId = "AKIACIKEY00000000001"
                $0.userName = "ci"
                $0.arn = "arn:aws:iam::111122223333:user/ci"
                $0.sourceIPAddress = "3.85.\(hour % 6).17"
                $0.userAgent =
                    "aws-cli/2.17.0 md/awscrt#0.20 ua/2.0 os/linux#6.5 md/arch#x86_64 exec-env/GitHub_Actions"
            }
        }
    }

    /// A person's key: weekday office hours, a laptop CLI, one network.
    static var humanKey: [RecordBuilder] {
        (0..<60).map { index in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_793_523_600 + Int64(index / 6) * 86_400 + Int64(index % 6) * 1_800)
                $0.accessKeyId = "AKIAHUMANKEY00000001"
            }
        }
    }

    @Test("long-term-key-workload: CI from EC2 around the clock, with its reasons; a person is not flagged")
    func workload() throws {
        let ranges = try AWSIPRanges(path: Fixtures.folder + "/ip-ranges-sample.json")
        let found = findings(of: "long-term-key-workload", Self.ciKey + Self.humanKey, awsRanges: ranges)
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.accessKeyId == "AKIACIKEY00000000001")
        #expect(finding.severity == .high)
        let reasons = finding.evidence["reasons"]?.objectMembers?.map(\.key) ?? []
        #expect(Set(reasons) == ["awsCompute", "automationTools", "machineCadence", "serverSDK", "manyNetworks"])
        #expect(finding.remediation.contains("OIDC"))
        #expect(finding.remediation.contains("instance profile"))
    }

    @Test("long-term-key-many-networks: six /24s in a day fire; six addresses in one /24 do not")
    func manyNetworks() {
        func key(_ addresses: [String]) -> [RecordBuilder] {
            addresses.enumerated().map { index, address in
                RecordBuilder {
                    $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index) * 60)
                    $0.sourceIPAddress = address
                }
            }
        }
        let spread = findings(of: "long-term-key-many-networks", key((1...6).map { "198.51.\($0).9" }))
        #expect(spread.first?.evidence["networks"]?.integerValue == 6)
        #expect(findings(of: "long-term-key-many-networks", key((1...6).map { "198.51.100.\($0)" })).isEmpty)
    }

    @Test("key-rule allowlists apply per finding: a principal's entry covers no other, a network every address")
    func keyRuleAllowlists() {
        func key(_ user: String, id: String, _ addresses: [String]) -> [RecordBuilder] {
            addresses.enumerated().map { index, address in
                RecordBuilder {
                    $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index) * 60)
                    $0.eventID = "evt-\(user)-\(index)"
                    $0.sourceIPAddress = address
                    $0.accessKeyId = id
                    $0.userName = user
                    $0.arn = "arn:aws:iam::111122223333:user/\(user)"
                }
            }
        }
        // Both keys use six /24s in a day; one of bob's addresses lies outside 198.51.0.0/16.
        let records =
            key("alice", id: "AKIAALICEKEY00000001", (1...6).map { "198.51.\($0).9" })
            + key("bob", id: "AKIABOBKEY0000000001", (1...5).map { "198.51.\($0).7" } + ["203.0.113.7"])
        let rule = "long-term-key-many-networks"
        func reported(_ entries: [AllowEntry]) -> [String] {
            var configuration = Configuration()
            configuration.ruleAllowlists[rule] = entries
            return findings(of: rule, records, configuration: configuration).compactMap(\.accessKeyId).sorted()
        }
        #expect(reported([]) == ["AKIAALICEKEY00000001", "AKIABOBKEY0000000001"])
        #expect(reported([AllowEntry(principalArn: "arn:aws:iam::*:user/alice")]) == ["AKIABOBKEY0000000001"])
        #expect(reported([AllowEntry(accessKeyId: "AKIABOBKEY0000000001")]) == ["AKIAALICEKEY00000001"])
        #expect(reported([AllowEntry(cidr: CIDR("198.51.0.0/16"))]) == ["AKIABOBKEY0000000001"])
    }

    @Test("access-key-used-after-deactivation: a successful call after UpdateAccessKey Inactive")
    func usedAfterDeactivation() {
        let deactivate = RecordBuilder {
            $0.eventTime = "2026-11-01T10:00:00Z"
            $0.accessKeyId = "AKIAADMINKEY00000001"
            $0.call(
                "iam.amazonaws.com", "UpdateAccessKey",
                #"{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","status":"Inactive","userName":"alice"}"#)
        }
        let later = RecordBuilder { $0.eventTime = "2026-11-01T12:00:00Z" }
        let denied = RecordBuilder {
            $0.eventTime = "2026-11-01T12:00:00Z"
            $0.errorCode = "InvalidClientTokenId"
        }
        let earlier = RecordBuilder { $0.eventTime = "2026-11-01T09:00:00Z" }
        let reactivate = RecordBuilder {
            $0.eventTime = "2026-11-01T11:00:00Z"
            $0.accessKeyId = "AKIAADMINKEY00000001"
            $0.call(
                "iam.amazonaws.com", "UpdateAccessKey", #"{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","status":"Active"}"#)
        }
        #expect(findings(of: "access-key-used-after-deactivation", [deactivate, later]).count == 1)
        #expect(findings(of: "access-key-used-after-deactivation", [deactivate, denied, earlier]).isEmpty)
        #expect(findings(of: "access-key-used-after-deactivation", [deactivate, reactivate, later]).isEmpty)
    }
}

@Suite("User-agent traits")
struct AgentTraitTests {
    @Test(
        "case-insensitive markers; only letters are folded",
        arguments: [
            ("APN/1.0 HashiCorp/1.0 Terraform/1.9.5 aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.2", "Terraform", true),
            ("Boto3/1.35 md/Botocore#1.35 os/linux#6.1 exec-env/AWS_ECS_EC2", nil, true),
            ("aws-cli/2.17.20 ua/2.0 os/macos#23.5.0", nil, false),
            ("aws-cli/2.17.20 os/linux#6.5 exec-env/GitHub_Actions", "GitHub Actions", true),
            ("Mozilla/5.0 (X11; Linux x86_64)", nil, false),
        ] as [(String, String?, Bool)])
    func traits(agent: String, tool: String?, server: Bool) {
        let traits = LongTermKeyWorkloadRule.AgentTraits(agent)
        #expect(traits.tool == tool)
        #expect(traits.serverSDK == server)
    }
}
