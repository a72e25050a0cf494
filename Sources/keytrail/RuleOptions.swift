import ArgumentParser
import TrailAnalysis
import TrailEngine

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

    /// The configuration, the inventory and the ranges, or a usage error naming the file and line.
    func load() throws -> (Configuration, KeyInventory, AWSIPRanges?) {
        var configuration = Configuration(profile: profile ?? .standard)
        if let config {
            do {
                configuration = try ConfigurationLoader.load(path: config, profile: profile)
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
}
