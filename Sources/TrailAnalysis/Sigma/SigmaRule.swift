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
    /// One test of a rule made only of exact values on extracted fields: the field must equal one of the literals
    /// (lowercased; compared without ASCII case).
    struct ExactTest: Sendable {
        let field: EventField
        let literals: [[UInt8]]
    }

    let searches: [SigmaSearch]
    let condition: SigmaCondition
    /// The rule as plain byte compares, when its condition is an AND of searches that only pin extracted fields to
    /// exact ASCII values (most SigmaHQ rules): no tree to walk for the records the index sends it.
    let exactTests: [ExactTest]?

    init(searches: [SigmaSearch], condition: SigmaCondition) {
        self.searches = searches
        self.condition = condition
        exactTests = Self.exactTests(searches, condition)
    }

    /// Whether the record matches; `results` is scratch space with a slot per search.
    func matches(_ event: inout SigmaEvent, _ results: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        if let exactTests {
            for test in exactTests {
                guard let bytes = event.view.bytes(test.field) else { return false }
                // Lowercasing non-ASCII text can yield ASCII (the Kelvin sign): the general path decides.
                guard SigmaPattern.isASCII(bytes) else { return holds(&event, results) }
                var found = false
                for literal in test.literals
                where literal.count == bytes.count && SigmaPattern.equal(bytes, from: 0, literal, fold: true) {
                    found = true
                    break
                }
                if !found { return false }
            }
            return true
        }
        return holds(&event, results)
    }

    /// The condition over the searches, each evaluated at most once.
    private func holds(_ event: inout SigmaEvent, _ results: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        for slot in 0..<searches.count { results[slot] = 0 }
        return condition.holds(searches, &event, results)
    }

    private static func exactTests(_ searches: [SigmaSearch], _ condition: SigmaCondition) -> [ExactTest]? {
        let required: [Int]
        switch condition {
        case .search(let index): required = [index]
        case .and(let parts):
            var indices: [Int] = []
            for part in parts {
                guard case .search(let index) = part else { return nil }
                indices.append(index)
            }
            required = indices
        default: return nil
        }
        var tests: [ExactTest] = []
        for index in required {
            guard case .allOf(let fieldTests) = searches[index] else { return nil }
            for test in fieldTests {
                guard case .field(let field) = test.path, case .values(let matchers, false) = test.check,
                    !matchers.isEmpty
                else { return nil }
                var literals: [[UInt8]] = []
                for matcher in matchers {
                    guard case .text(let pattern) = matcher, pattern.kind == .exact, !pattern.cased,
                        pattern.literal.allSatisfy({ $0 < 0x80 })
                    else { return nil }
                    literals.append(pattern.literal)
                }
                tests.append(ExactTest(field: field, literals: literals))
            }
        }
        return tests
    }
}
