import Foundation
import TrailModel

/// A Sigma detection rule for CloudTrail, compiled: searches, condition and what its findings say.
public struct SigmaRule: Sendable, Equatable {
    /// The rule's `id` (a UUID in SigmaHQ); findings report as `sigma:<id>`.
    public let id: String
    /// The rule's `name`, by which correlation rules may refer to it.
    public let name: String?
    public let title: String
    public let description: String
    /// `level` as a severity (`informational` is `info`).
    public let severity: Severity
    public let references: [String]
    /// ATT&CK technique ids from `attack.tNNNN` tags.
    public let attack: [String]
    public let falsePositives: [String]
    /// Where the rule came from, for messages.
    public let file: String
    public let searchNames: [String]
    public let searches: [SigmaSearch]
    public let condition: SigmaCondition

    public init(
        id: String, name: String?, title: String, description: String, severity: Severity, references: [String],
        attack: [String], falsePositives: [String], file: String, searchNames: [String], searches: [SigmaSearch],
        condition: SigmaCondition
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.description = description
        self.severity = severity
        self.references = references
        self.attack = attack
        self.falsePositives = falsePositives
        self.file = file
        self.searchNames = searchNames
        self.searches = searches
        self.condition = condition
    }

    /// The id findings carry: `sigma:<id>`.
    public var ruleID: String { "sigma:" + id }

    /// What `keytrail rules list` and findings say about the rule.
    public var descriptor: RuleDescriptor {
        var remediation = "Review the matched events: \(description.trimmingCharacters(in: .whitespacesAndNewlines))"
        if !falsePositives.isEmpty {
            remediation += " Known false positives: \(falsePositives.joined(separator: "; "))."
        }
        return RuleDescriptor(
            id: ruleID, kind: .sigma, severity: severity, summary: title, remediation: remediation,
            references: references, attack: attack)
    }

    /// The event names (lowercased) the condition requires one of, or nil when it does not pin `eventName`.
    public var pinnedEventNames: [String]? {
        condition.exactValues(of: .field(.eventName), searches).map { names in
            names.map { String(decoding: $0, as: UTF8.self) }.sorted()
        }
    }

    /// The extracted field and its exact values (lowercased) under which the rule is indexed, or nil when its
    /// condition pins none and it is tested on every record.
    var indexKey: (EventField, Set<[UInt8]>)? {
        for field in SigmaRuleSet.indexFields {
            if let values = condition.exactValues(of: .field(field), searches) { return (field, values) }
        }
        return nil
    }

    /// The field name records are found by through the index, or nil when the rule is tested on every record.
    public var indexedBy: String? { indexKey?.0.path }

    /// Whether records reach it through the index, rather than all of them.
    public var isIndexed: Bool { indexKey != nil }

    /// Whether it needs every record's raw JSON kept.
    public var needsRawRecord: Bool { searches.contains(where: \.needsRawRecord) }

    /// The fields a match is shown by: those of the searches the condition uses positively, first-seen order.
    var evidencePaths: [SigmaFieldPath] {
        var seen: Set<SigmaFieldPath> = []
        var paths: [SigmaFieldPath] = []
        for index in condition.positiveSearches() {
            for path in searches[index].paths where seen.insert(path).inserted { paths.append(path) }
        }
        return paths
    }
}

/// A rule's searches and condition as one object, so that evaluating a rule retains one reference instead of copying
/// the rule's many fields.
final class SigmaProgram: Sendable {
    let searches: [SigmaSearch]
    let condition: SigmaCondition

    init(searches: [SigmaSearch], condition: SigmaCondition) {
        self.searches = searches
        self.condition = condition
    }

    /// Whether the record matches; `results` is scratch space with one slot per search, zeroed by the caller.
    func matches(_ event: inout SigmaEvent, _ results: inout [UInt8]) -> Bool {
        condition.holds(searches, &event, &results)
    }
}
