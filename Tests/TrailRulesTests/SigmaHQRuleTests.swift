import Foundation
import Testing
import TrailAnalysis
import TrailEngine
import TrailModel
import TrailSigma
import TrailTestSupport
import Yams

/// Builds, from a Sigma rule's detection, a CloudTrail record that satisfies its condition: the searches the
/// condition needs true get field values made from the rule's own values; searches it needs false are left to the
/// default record (an IAM user listing buckets), which the scan then proves.
struct SigmaRecordSynthesizer {
    let detection: Node.Mapping

    /// The record, or nil when a search uses a form this synthesizer cannot invert.
    func record(eventID: String) throws -> String {
        let names = Array(detection.keys.compactMap(\.string).filter { $0 != "condition" && $0 != "timeframe" })
        var parser = SigmaConditionParser(names: names)
        let conditionText = detection["condition"]?.string ?? detection["condition"]?.sequence?.first?.string ?? ""
        let condition = try parser.parse(conditionText)
        var wanted: [Int: Bool] = [:]
        plan(condition, true, &wanted)
        var base = RecordBuilder { $0.eventID = eventID }
        base.requestParameters = "{}"
        base.responseElements = "{}"
        var changes: [(String, JSONValue?)] = []
        for (index, want) in wanted.sorted(by: { $0.key < $1.key }) where want {
            guard let search = detection[Node(names[index])] else { continue }
            changes += try fields(search)
        }
        return base.json(setting: changes)
    }

    private func plan(_ condition: SigmaCondition, _ want: Bool, _ wanted: inout [Int: Bool]) {
        switch condition {
        case .search(let index): if wanted[index] == nil { wanted[index] = want }
        case .not(let inner): plan(inner, !want, &wanted)
        case .and(let parts):
            if want { parts.forEach { plan($0, true, &wanted) } } else { plan(parts[0], false, &wanted) }
        case .or(let parts):
            if want { plan(parts[0], true, &wanted) } else { parts.forEach { plan($0, false, &wanted) } }
        }
    }

    private func fields(_ search: Node) throws -> [(String, JSONValue?)] {
        let map = try #require(search.mapping ?? search.sequence?.first?.mapping)
        var changes: [(String, JSONValue?)] = []
        for (key, value) in map {
            let parts = try #require(key.string).split(separator: "|").map(String.init)
            var field = parts[0]
            let modifiers = Set(parts.dropFirst())
            let values = value.sequence.map { Array($0) } ?? [value]
            if modifiers.contains("fieldref") {
                changes.append((try #require(values[0].string), .string("alice")))
                changes.append((field, .string("alice")))
                continue
            }
            if values[0].scalar?.style == .plain && values[0].string == "null" {
                changes.append((field, nil))
                continue
            }
            var texts = values.compactMap(\.string).map { text -> String in
                var text = text
                if modifiers.contains("re") {
                    text = text.replacingOccurrences(of: ".+", with: "x").replacingOccurrences(of: ".*", with: "")
                        .replacingOccurrences(of: "\\", with: "")
                }
                return text.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "y")
            }
            if !modifiers.contains("all") { texts = [texts[0]] }
            var text = texts.joined(separator: " ")
            if modifiers.contains("contains") { text = "pre " + text + " post" }
            if modifiers.contains("startswith") { text += "Tail" }
            if modifiers.contains("endswith") { text = "Head" + text }
            if ["requestParameters", "responseElements", "additionalEventData"].contains(field) {
                // A whole member matched by its JSON text: put the values in a document inside it, as IAM policies are.
                let quoted = texts.allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") }
                if quoted {
                    let members = texts.enumerated().map { "\"k\($0.offset)\":\($0.element)" }
                    changes.append((field + ".policyDocument", .string("{" + members.joined(separator: ",") + "}")))
                    continue
                }
                field += ".detail"
            }
            changes.append((field, .string(text)))
        }
        return changes
    }
}

@Suite("SigmaHQ CloudTrail rules")
struct SigmaHQRuleTests {
    static let files: [String] = {
        let folder = Fixtures.sigmaRules
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yml") }.sorted()
    }()

    @Test("all 57 rules load; the one with a field name as a value gets a warning")
    func allLoad() {
        let report = SigmaLoader.load(paths: [Fixtures.sigmaRules])
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.rules.rules.count == 57)
        #expect(report.loaded.count == 57)
        #expect(report.warnings.map { ($0.file as NSString).lastPathComponent } == ["aws_iam_backdoor_users_keys.yml"])
        // Only the regex on userIdentity.arn pins no extracted field; the rest are found through the index.
        #expect(report.rules.unindexedCount == 1)
        let byField = Dictionary(grouping: report.loaded, by: { $0.indexedBy ?? "every record" }).mapValues(\.count)
        #expect(
            byField == ["eventName": 52, "eventSource": 1, "userIdentity.type": 2, "userAgent": 1, "every record": 1])
    }

    @Test("the retired aggregation rules are refused, each with the correlation rule to write")
    func legacyRefused() {
        let report = SigmaLoader.load(paths: [Fixtures.sigmaUnsupported])
        #expect(report.rules.rules.isEmpty)
        #expect(report.errors.count == 8)
        for error in report.errors {
            #expect(error.line != nil)
            #expect(error.message.contains("correlation"), "\(error)")
        }
        let macie = report.errors.first { $0.file.hasSuffix("aws_macic_evasion.yml") }
        #expect(macie?.message.contains("group-by: [sourceIPAddress]") == true)
        #expect(macie?.message.contains("condition: {gt: 5}") == true)
    }

    @Test("each rule matches a record built from its detection", arguments: files)
    func ruleMatches(_ file: String) throws {
        let path = Fixtures.sigmaRules + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try #require(try Yams.compose(yaml: text)?.mapping)
        let id = try #require(root["id"]?.string)
        let detection = try #require(root["detection"]?.mapping)
        let record = try SigmaRecordSynthesizer(detection: detection).record(eventID: "evt-" + file)
        let report = SigmaLoader.load(paths: [path])
        var configuration = Configuration()
        configuration.sigma = report.rules
        let result = findings(json: [record], configuration: configuration)
        let finding = result.first { $0.rule == "sigma:" + id }
        #expect(finding != nil, "no finding for \(file) on \(record)")
        #expect(finding?.eventIds == ["evt-" + file])
        // The same record under another event name: a rule that pins eventName must no longer match it.
        let rule = try #require(report.rules.rules.first)
        if rule.pinnedEventNames != nil {
            let renamed = record.replacingOccurrences(of: "\"eventName\":\"", with: "\"eventName\":\"Zz")
            let silent = findings(json: [renamed], configuration: configuration)
            #expect(!silent.contains { $0.rule == "sigma:" + id }, "\(file) matched a renamed event")
        }
    }
}
