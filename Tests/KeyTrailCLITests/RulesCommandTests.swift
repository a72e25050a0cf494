import Foundation
import Testing
import TrailModel
import TrailTestSupport

@Suite("keytrail rules and scan --rules, as a user runs them")
struct RulesCommandTests {
    @Test("rules check loads SigmaHQ's 57 rules, exits 0, and warns about the one that compares a field name")
    func checkBundled() throws {
        let outcome = try CommandRunner.run(["rules", "check", Fixtures.sigmaRules])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("ok ") }.count == 57)
        #expect(lines.contains { $0.hasPrefix("warning") && $0.contains("aws_iam_backdoor_users_keys.yml:25") })
        #expect(lines.last == "57 rule(s) loaded, 0 error(s), 1 warning(s), 0 skipped, from 57 file(s)")
        #expect(
            outcome.standardOutput.contains(
                "sigma:055fb148-60f8-462d-ad16-26926ce050f1  detection  AWS User Login Profile Was Modified"))
    }

    @Test("rules check exits 1 on rules it cannot load, naming file and line, as JSON too")
    func checkUnsupported() throws {
        let outcome = try CommandRunner.run(["rules", "check", "--format", "json", Fixtures.sigmaUnsupported])
        #expect(outcome.status == 1)
        let json = try JSONValue.parse(outcome.standardOutput)
        let errors = try #require(json["errors"]?.arrayValue)
        #expect(errors.count == 8)
        #expect(errors.allSatisfy { $0["line"]?.integerValue != nil && $0["file"]?.stringValue != nil })
    }

    @Test("rules list --rules includes the Sigma rules with their ids")
    func list() throws {
        let outcome = try CommandRunner.run(["rules", "list", "--format", "json", "--rules", Fixtures.sigmaRules])
        #expect(outcome.status == 0)
        let rules = try #require(try JSONValue.parse(outcome.standardOutput).arrayValue)
        let sigma = rules.filter { $0["kind"]?.stringValue == "sigma" }
        #expect(sigma.count == 57)
        #expect(sigma.contains { $0["id"]?.stringValue == "sigma:8ad1600d-e9dc-4251-b0ee-a65268f29add" })
    }

    @Test("scan --rules reports Sigma findings next to the built-in ones, through the same sinks")
    func scanWithRules() throws {
        let outcome = try CommandRunner.run([
            "scan", Fixtures.sampleLogs, "--rules", Fixtures.sigmaRules, "--format", "jsonl", "--progress", "never",
        ])
        #expect(outcome.status == 1)
        let findings = outcome.standardOutput.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        let rules = Set(findings.compactMap { $0["rule"]?.stringValue })
        // SampleLogs' root console login without MFA: both the built-in rule and SigmaHQ's.
        #expect(rules.contains("console-login-without-mfa"))
        #expect(rules.contains("sigma:77caf516-34e5-4df9-b4db-20744fea0a60"))
        // StopLogging: SigmaHQ's "CloudTrail Important Change".
        #expect(rules.contains("sigma:4db60cc0-36fb-42b7-9b58-a5b53019fb74"))
        let root = try #require(
            findings.first { $0["rule"]?.stringValue == "sigma:8ad1600d-e9dc-4251-b0ee-a65268f29add" })
        #expect(root["severity"]?.stringValue == "medium")
        #expect(root["evidence"]?["matchedFields"]?["userIdentity.type"] == .string("Root"))
    }

    @Test("scan --rules refuses to start with a rule it cannot load")
    func scanRefusesBadRules() throws {
        let outcome = try CommandRunner.run(["scan", Fixtures.sampleLogs, "--rules", Fixtures.sigmaUnsupported])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("8 Sigma rule problem(s)"))
        #expect(outcome.standardError.contains("aws_macic_evasion.yml:31"))
    }

    @Test("a config file can tune Sigma rules by their sigma: id")
    func configTunesSigma() throws {
        let folder = Fixtures.temporaryFolder("sigma-config")
        Fixtures.write(
            "rules:\n  sigma:8ad1600d-e9dc-4251-b0ee-a65268f29add:\n    severity: critical\n",
            to: folder + "/keytrail.yml")
        let outcome = try CommandRunner.run([
            "scan", Fixtures.sampleLogs, "--rules", Fixtures.sigmaRules, "--config", folder + "/keytrail.yml",
            "--format", "jsonl",
        ])
        let root = outcome.standardOutput.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            .first { $0["rule"]?.stringValue == "sigma:8ad1600d-e9dc-4251-b0ee-a65268f29add" }
        #expect(root?["severity"]?.stringValue == "critical")
        let unknown = try CommandRunner.run(["scan", Fixtures.sampleLogs, "--config", folder + "/keytrail.yml"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("unknown Sigma rule"))
    }
}
