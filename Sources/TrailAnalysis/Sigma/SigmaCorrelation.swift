import Foundation
import TrailModel

/// A Sigma correlation rule (Sigma 2): matches of other rules counted per group within a timespan.
public struct SigmaCorrelation: Sendable, Equatable {
    /// What is measured in a window.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Matching events.
        case eventCount = "event_count"
        /// Distinct values of a field among matching events.
        case valueCount = "value_count"
        /// Distinct rules matched (all of them, in any order, by default).
        case temporal
        /// Rules matched in the order listed.
        case temporalOrdered = "temporal_ordered"
    }

    /// One bound of the condition (`gte: 10`); all bounds must hold.
    public struct Bound: Sendable, Equatable {
        public enum Operator: String, Sendable, Equatable, CaseIterable { case gt, gte, lt, lte, eq }
        public let op: Operator
        public let value: Int

        public init(_ op: Operator, _ value: Int) {
            self.op = op
            self.value = value
        }

        func holds(_ measure: Int) -> Bool {
            switch op {
            case .gt: return measure > value
            case .gte: return measure >= value
            case .lt: return measure < value
            case .lte: return measure <= value
            case .eq: return measure == value
            }
        }
    }

    public let id: String
    public let title: String
    public let description: String
    public let severity: Severity
    public let references: [String]
    public let attack: [String]
    public let file: String
    public let kind: Kind
    /// The correlated rules, as indices into ``SigmaRuleSet/rules``, in the order the rule lists them.
    public let rules: [Int]
    /// The `group-by` field names, as written.
    public let groupBy: [String]
    /// Per correlated rule (same order as ``rules``), the fields to group by (aliases resolved).
    public let groupPaths: [[SigmaFieldPath]]
    /// Per correlated rule, the field whose distinct values `value_count` counts.
    public let valuePaths: [SigmaFieldPath?]
    public let timespan: Int64
    public let bounds: [Bound]
    /// Whether the correlated rules also report their own matches.
    public let generate: Bool

    public init(
        id: String, title: String, description: String, severity: Severity, references: [String], attack: [String],
        file: String, kind: Kind, rules: [Int], groupBy: [String], groupPaths: [[SigmaFieldPath]],
        valuePaths: [SigmaFieldPath?], timespan: Int64, bounds: [Bound], generate: Bool
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.severity = severity
        self.references = references
        self.attack = attack
        self.file = file
        self.kind = kind
        self.rules = rules
        self.groupBy = groupBy
        self.groupPaths = groupPaths
        self.valuePaths = valuePaths
        self.timespan = timespan
        self.bounds = bounds
        self.generate = generate
    }

    public var ruleID: String { "sigma:" + id }

    public var descriptor: RuleDescriptor {
        RuleDescriptor(
            id: ruleID, kind: .sigma, severity: severity, summary: title,
            remediation: "Review the correlated events: \(description.trimmingCharacters(in: .whitespacesAndNewlines))",
            references: references, attack: attack)
    }

    /// How many of the rules match in the order listed within one window of events (sorted by time), for
    /// `temporal_ordered`; the other kinds are measured as the window slides (`SlidingMeasure`).
    func orderedMeasure(_ events: ArraySlice<SigmaCorrelationGroup.Entry>) -> Int {
        var next = 0
        for event in events where next < rules.count && event.slot == next { next += 1 }
        return next
    }

    /// Whether a window's measure satisfies the condition.
    func holds(_ measure: Int) -> Bool { bounds.allSatisfy { $0.holds(measure) } }
}
