import Testing
import TrailAnalysis
import TrailEngine
import TrailModel
import TrailTestSupport

@Suite("Configuration: thresholds, severities, disabled rules, allowlists")
struct ConfigurationTests {
    static let example = """
        profile: cis
        thresholds:
          networksPerDay: 8
        rules:
          root-activity:
            severity: critical
          access-denied-burst:
            enabled: false
          cloudtrail-logging-disabled:
            allow:
              - principalArn: "arn:aws:iam::*:user/terraform-*"
                reason: the platform team rotates trails
        allow:
          - accessKeyId: AKIABREAKGLASS000001
          - cidr: 10.0.0.0/8
            userAgent: "*prowler*"
        knownAccounts: ["999988887777"]
        """

    @Test("every setting is read")
    func example() throws {
        let configuration = try ConfigurationLoader.parse(Self.example, path: "keytrail.yml")
        #expect(configuration.profile == .cis)
        #expect(configuration.thresholds.unusedDays == 45)
        #expect(configuration.thresholds.networksPerDay == 8)
        #expect(configuration.severityOverrides["root-activity"] == .critical)
        #expect(!configuration.isEnabled("access-denied-burst"))
        #expect(configuration.allowlist.count == 2)
        #expect(configuration.ruleAllowlists["cloudtrail-logging-disabled"]?.first?.principalArn != nil)
        #expect(configuration.knownAccounts == ["999988887777"])
    }

    @Test(
        "mistakes are errors with the line",
        arguments: [
            ("rules:\n  root-activty:\n    enabled: false\n", "keytrail.yml:2: unknown rule \"root-activty\""),
            ("thresholds:\n  unusedDay: 30\n", "keytrail.yml:2: unknown threshold \"unusedDay\""),
            ("rules:\n  root-activity:\n    severity: urgent\n", "keytrail.yml:3: severity must be one of"),
            ("allow:\n  - cidr: 10.0.0.0/33\n", "keytrail.yml:2: \"10.0.0.0/33\" is not a CIDR network"),
            ("allow:\n  - reason: nothing\n", "keytrail.yml:2: an allow entry needs at least one of"),
            ("profiles: cis\n", "keytrail.yml:1: unknown setting \"profiles\""),
            ("thresholds:\n  unusedDays: -4\n", "keytrail.yml:2: unusedDays must be a positive integer"),
        ])
    func mistakes(text: String, message: String) {
        #expect {
            try ConfigurationLoader.parse(text, path: "keytrail.yml")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    static let stop = RecordBuilder {
        $0.call("cloudtrail.amazonaws.com", "StopLogging", #"{"name":"t"}"#)
    }

    @Test("severity overrides, disabled rules and allowlists change what is reported")
    func effects() throws {
        var configuration = Configuration()
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: configuration).count == 1)
        configuration.severityOverrides["cloudtrail-logging-disabled"] = .low
        #expect(
            findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: configuration).first?.severity
                == .low)
        configuration.disabledRules.insert("cloudtrail-logging-disabled")
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: configuration).isEmpty)
        var allowed = Configuration()
        allowed.ruleAllowlists["cloudtrail-logging-disabled"] = [
            AllowEntry(principalArn: "arn:aws:iam::*:user/al*")
        ]
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: allowed).isEmpty)
        // Another principal's entry does not cover alice.
        allowed.ruleAllowlists["cloudtrail-logging-disabled"] = [
            AllowEntry(principalArn: "arn:aws:iam::*:user/terraform-*")
        ]
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: allowed).count == 1)
        allowed.ruleAllowlists["cloudtrail-logging-disabled"] = [AllowEntry(cidr: CIDR("203.0.113.0/24"))]
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: allowed).isEmpty)
        allowed.ruleAllowlists["cloudtrail-logging-disabled"] = [AllowEntry(cidr: CIDR("10.0.0.0/8"))]
        #expect(findings(of: "cloudtrail-logging-disabled", [Self.stop], configuration: allowed).count == 1)
    }

    @Test(
        "wildcards and networks",
        arguments: [
            ("arn:aws:iam::*:user/ci-*", "arn:aws:iam::111122223333:user/ci-deploy", true),
            ("arn:aws:iam::*:user/ci-*", "arn:aws:iam::111122223333:user/alice", false),
            ("*:role/?dmin", "arn:aws:iam::1:role/admin", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
        ])
    func wildcards(pattern: String, text: String, matches: Bool) {
        #expect(Wildcard.matches(pattern, text, caseInsensitive: false) == matches)
    }

    @Test("CIDR containment for IPv4 and IPv6")
    func cidrs() {
        #expect(CIDR("10.0.0.0/8")!.contains("10.200.3.4"))
        #expect(!CIDR("10.0.0.0/8")!.contains("11.0.0.1"))
        #expect(CIDR("2001:db8::/32")!.contains("2001:db8:ffff::1"))
        #expect(!CIDR("2001:db8::/32")!.contains("2001:db9::1"))
        #expect(!CIDR("10.0.0.0/8")!.contains("s3.amazonaws.com"))
        #expect(CIDR("not a network") == nil)
    }
}
