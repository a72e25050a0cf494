import TrailAnalysis
import TrailEngine
import TrailIngest
import TrailModel
import TrailSigma

/// Runs every rule over `records` (one document) the way `keytrail scan` does, and returns the findings.
/// - Parameters:
///   - records: the records.
///   - configuration: rule settings.
///   - inventory: keys from a credential report or list-access-keys.
///   - asOf: the reference time; nil for the newest event.
///   - awsRanges: AWS address ranges.
public func findings(
    _ records: [RecordBuilder], configuration: Configuration = Configuration(),
    inventory: KeyInventory = KeyInventory(), asOf: String? = nil, awsRanges: AWSIPRanges? = nil
) -> [Finding] {
    let options = ScanOptions(
        paths: [], configuration: configuration, inventory: inventory, awsRanges: awsRanges)
    let document = Array(RecordBuilder.document(records).utf8)
    return ScanPipeline(options: options).run(
        inputs: [(document, .document)], asOf: asOf.flatMap { Timestamp.parse($0) }
    ).findings
}

/// The findings of one rule.
public func findings(
    of rule: String, _ records: [RecordBuilder], configuration: Configuration = Configuration(),
    inventory: KeyInventory = KeyInventory(), asOf: String? = nil, awsRanges: AWSIPRanges? = nil
) -> [Finding] {
    findings(records, configuration: configuration, inventory: inventory, asOf: asOf, awsRanges: awsRanges)
        .filter { $0.rule == rule }
}

/// An inventory from credential-report text.
public func inventory(_ text: String) -> KeyInventory {
    var inventory = KeyInventory()
    try! inventory.add(text: text, path: "test-inventory")
    return inventory
}

/// Runs every rule, built-in and `configuration.sigma`, over records given as JSON objects (one document), the way
/// `keytrail scan` does.
public func findings(json records: [String], configuration: Configuration) -> [Finding] {
    let options = ScanOptions(paths: [], configuration: configuration)
    let document = Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
    return ScanPipeline(options: options).run(inputs: [(document, .document)], asOf: nil).findings
}

/// A configuration with the Sigma rules in `yaml` (one or more documents); fails the caller's expectations via
/// `precondition` when they do not load, so tests see the loader's message.
public func sigmaConfiguration(_ yaml: String, file: String = "test-rule.yml") -> Configuration {
    let report = SigmaLoader.load(texts: [(file, yaml)])
    precondition(report.errors.isEmpty, "rules did not load: \(report.errors)")
    var configuration = Configuration()
    configuration.sigma = report.rules
    return configuration
}
