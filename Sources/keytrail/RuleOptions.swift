import ArgumentParser
import Foundation
import TrailAnalysis
import TrailEngine
import TrailSigma

/// The options that choose rules and what they judge against.
struct RuleOptions: ParsableArguments {
    @Option(
        name: .customLong("inventory"),
        help: ArgumentHelp(
            "An IAM credential report (CSV, or get-credential-report JSON) or list-access-keys JSON; repeatable.",
            valueName: "file"))
    var inventoryFiles: [String] = []

    @Option(
        help: ArgumentHelp(
            "Rule settings: thresholds, severities, disabled rules, allowlists (YAML).", valueName: "file"))
    var config: String?

    @Option(help: "Defaults to judge by: standard (AWS best practice, 90 days) or cis (CIS benchmark, 45 days).")
    var profile: Configuration.Profile?

    @Option(
        help: ArgumentHelp(
            "AWS's ip-ranges.json, to recognise calls from AWS compute (never downloaded by keytrail).",
            valueName: "file"))
    var awsIPRanges: String?

    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp(
            "Sigma rules for AWS CloudTrail: a .yml file or a folder of them; repeatable. Findings report as "
                + "sigma:<rule id>; check rules first with `keytrail rules check`.",
            valueName: "path"))
    var sigmaPaths: [String] = []

    /// The configuration, the inventory and the ranges, or a usage error naming the file and line.
    func load() throws -> (Configuration, KeyInventory, AWSIPRanges?) {
        let sigma = try loadSigma()
        var configuration = Configuration(profile: profile ?? .standard)
        configuration.sigma = sigma
        if let config {
            do {
                configuration = try ConfigurationLoader.load(path: config, profile: profile, sigma: sigma)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        var inventory = KeyInventory()
        for file in inventoryFiles {
            do {
                try inventory.add(path: file)
            } catch {
                throw ValidationError("--inventory \(error)")
            }
        }
        var ranges: AWSIPRanges? = nil
        if let awsIPRanges {
            do {
                ranges = try AWSIPRanges(path: awsIPRanges)
            } catch {
                throw ValidationError("--aws-ip-ranges \(error)")
            }
        }
        return (configuration, inventory, ranges)
    }

    /// The Sigma rules of `--rules`; any rule that cannot be loaded stops the run (a rule silently missing is a
    /// detection silently missing). Rules for other log sources are skipped with a note.
    func loadSigma() throws -> SigmaRuleSet {
        guard !sigmaPaths.isEmpty else { return SigmaRuleSet() }
        let report = SigmaLoader.load(paths: sigmaPaths)
        if !report.errors.isEmpty {
            let lines = report.errors.prefix(20).map { "  \($0)" }.joined(separator: "\n")
            let more = report.errors.count > 20 ? "\n  … and \(report.errors.count - 20) more" : ""
            throw ValidationError(
                "--rules: \(report.errors.count) Sigma rule problem(s); fix or remove these rules "
                    + "(keytrail rules check lists them all):\n\(lines)\(more)")
        }
        if !report.skipped.isEmpty {
            FileHandle.standardError.write(
                Data("keytrail: skipped \(report.skipped.count) Sigma rule(s) for other log sources\n".utf8))
        }
        return report.rules
    }
}
