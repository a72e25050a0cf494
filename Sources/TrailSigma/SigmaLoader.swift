import Foundation
import TrailAnalysis
import TrailModel
import Yams

/// Loads Sigma rules for AWS CloudTrail from YAML files and folders: detection rules and Sigma 2 correlation rules
/// (`event_count`, `value_count`, `temporal`, `temporal_ordered`), several per file when separated by `---`.
///
/// Strict where a silent difference would miss attacks: an unknown modifier, a condition naming a missing search,
/// a correlation over an unknown rule are errors with the file and line. Documents for other log sources are
/// skipped and listed.
public enum SigmaLoader {
    /// Loads every `.yml`/`.yaml` file under `paths` (folders walked recursively, in name order).
    public static func load(paths: [String]) -> SigmaLoadReport {
        var report = SigmaLoadReport()
        var texts: [(file: String, text: String)] = []
        for file in files(under: paths, report: &report) {
            guard let data = FileManager.default.contents(atPath: file) else {
                report.errors.append(SigmaProblem(file: file, line: nil, message: "cannot read the file"))
                continue
            }
            texts.append((file, String(decoding: data, as: UTF8.self)))
        }
        return load(texts: texts, into: report)
    }

    /// Loads rules from YAML texts, each named by `file` in messages.
    public static func load(
        texts: [(file: String, text: String)], into report: SigmaLoadReport = SigmaLoadReport()
    )
        -> SigmaLoadReport
    {
        var report = report
        var documents: [(file: String, node: Node)] = []
        for (file, text) in texts {
            report.files += 1
            do {
                // The basic resolver leaves every scalar's text to the compilers (which read null, booleans and
                // numbers as Sigma does): the default one matched each plain scalar against six regular
                // expressions, and compiling and running them was a fifth of loading SigmaHQ's rules. The encoding
                // is given, as Yams' default reads the whole environment on every call.
                var sequence = try Yams.compose_all(yaml: text, .basic, .default, .utf8)
                while let node = sequence.next() { documents.append((file, node)) }
                if let error = sequence.error { throw error }
            } catch {
                report.errors.append(SigmaProblem(file: file, line: nil, message: "not valid YAML: \(error)"))
            }
        }
        var rules: [SigmaRule] = []
        var lines: [Int?] = []
        var pendingCorrelations: [(file: String, node: Node)] = []
        for (file, node) in documents {
            guard let mapping = node.mapping else {
                report.errors.append(problem(file, node, "a Sigma rule must be a YAML mapping"))
                continue
            }
            if mapping["correlation"] != nil {
                pendingCorrelations.append((file, node))
                continue
            }
            if let other = otherLogSource(mapping) {
                report.skipped.append(problem(file, node, "skipped: for \(other), not AWS CloudTrail"))
                continue
            }
            do throws(SigmaProblem) {
                rules.append(
                    try SigmaDetectionCompiler.rule(mapping, file: file, node: node, warnings: &report.warnings))
                lines.append(node.mark?.line)
            } catch {
                report.errors.append(error)
            }
        }
        var correlations: [SigmaCorrelation] = []
        var correlationLines: [Int?] = []
        for (file, node) in pendingCorrelations {
            do throws(SigmaProblem) {
                correlations.append(try SigmaCorrelationCompiler.correlation(node, file: file, rules: rules))
                correlationLines.append(node.mark?.line)
            } catch {
                report.errors.append(error)
            }
        }
        var seen: [String: String] = [:]
        for (rule, line) in zip(rules, lines) {
            if let other = seen[rule.id] {
                report.errors.append(
                    SigmaProblem(
                        file: rule.file, line: line,
                        message: "rule id \(rule.id) is also used by \(other); ids must be unique"))
            }
            seen[rule.id] = rule.file
        }
        report.rules = SigmaRuleSet(rules: rules, correlations: correlations)
        for (rule, line) in zip(rules, lines) {
            report.loaded.append(
                .init(
                    id: rule.id, title: rule.title, kind: "detection", file: rule.file, line: line,
                    indexedBy: rule.indexedBy))
        }
        for (correlation, line) in zip(correlations, correlationLines) {
            report.loaded.append(
                .init(
                    id: correlation.id, title: correlation.title, kind: correlation.kind.rawValue,
                    file: correlation.file, line: line, indexedBy: "its rules"))
        }
        return report
    }

    /// The rule files under `paths`; a path that does not exist is an error.
    private static func files(under paths: [String], report: inout SigmaLoadReport) -> [String] {
        var result: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                report.errors.append(SigmaProblem(file: path, line: nil, message: "no such file or folder"))
                continue
            }
            guard isDirectory.boolValue else {
                result.append(path)
                continue
            }
            let found = (manager.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
            if found.isEmpty {
                report.errors.append(SigmaProblem(file: path, line: nil, message: "no .yml or .yaml rule files in it"))
            }
            result += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return result
    }

    /// A description of the rule's log source when it is not AWS CloudTrail.
    private static func otherLogSource(_ mapping: Node.Mapping) -> String? {
        guard let source = mapping["logsource"]?.mapping else { return "no logsource" }
        let product = source["product"]?.string?.lowercased()
        let service = source["service"]?.string?.lowercased()
        if product == "aws" && (service == "cloudtrail" || service == nil) { return nil }
        return "logsource product: \(product ?? "none"), service: \(service ?? "none")"
    }

    static func problem(_ file: String, _ node: Node?, _ message: String) -> SigmaProblem {
        SigmaProblem(file: file, line: node?.mark?.line, message: message)
    }

    /// The common metadata of rules and correlations.
    struct Metadata {
        var id: String
        var name: String?
        var title: String
        var description: String
        var severity: Severity
        var references: [String]
        var attack: [String]
        var falsePositives: [String]

        init(_ mapping: Node.Mapping, file: String, node: Node) throws(SigmaProblem) {
            guard let title = mapping["title"]?.string, !title.isEmpty else {
                throw problem(file, node, "the rule has no title")
            }
            guard let id = mapping["id"]?.string, !id.isEmpty else {
                throw problem(file, node, "the rule \"\(title)\" has no id (findings report as sigma:<id>)")
            }
            self.id = id
            self.title = title
            name = mapping["name"]?.string
            description = mapping["description"]?.string ?? title
            let level = mapping["level"]?.string?.lowercased() ?? "medium"
            switch level {
            case "informational", "info": severity = .info
            case "low": severity = .low
            case "medium": severity = .medium
            case "high": severity = .high
            case "critical": severity = .critical
            default:
                throw problem(
                    file, mapping["level"],
                    "level \"\(level)\" is not one of informational, low, medium, high, critical")
            }
            references = Self.strings(mapping["references"])
            falsePositives = Self.strings(mapping["falsepositives"])
            attack = Self.strings(mapping["tags"]).compactMap { tag in
                let lowered = tag.lowercased()
                guard lowered.hasPrefix("attack.t"), lowered.dropFirst(8).first?.isNumber == true else { return nil }
                return String(tag.dropFirst(7)).uppercased()
            }
        }

        static func strings(_ node: Node?) -> [String] {
            if let text = node?.string { return [text] }
            return node?.sequence?.compactMap(\.string) ?? []
        }
    }
}
