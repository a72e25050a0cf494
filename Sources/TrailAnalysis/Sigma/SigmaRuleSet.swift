import TrailModel

/// The Sigma rules a scan runs, compiled once and indexed by the extracted fields their conditions pin, so a record
/// is tested only against the rules that could match it.
///
/// A rule whose condition pins `eventName` to exact values is filed under those names; otherwise under the first
/// other extracted field it pins (`eventSource`, `userIdentity.type`, `userAgent`, …); otherwise it is tested on
/// every record. SigmaHQ's 57 CloudTrail rules leave one rule unindexed (a regex on `userIdentity.arn`, checked by
/// a substring test first).
public struct SigmaRuleSet: Sendable, Equatable {
    /// One index: a field and, per lowercased value, the rules to test (a class: reading it retains one reference).
    final class FieldIndex: Sendable {
        let field: EventField
        let values: NameIndex
        let rules: [[Int]]

        init(field: EventField, values: NameIndex, rules: [[Int]]) {
            self.field = field
            self.values = values
            self.rules = rules
        }
    }

    /// The fields rules may be indexed by, most selective first.
    static let indexFields: [EventField] =
        [.eventName, .eventSource]
        + EventField.allCases.filter { !$0.isRawJSON && $0 != .eventName && $0 != .eventSource && $0 != .eventTime }

    public let rules: [SigmaRule]
    public let correlations: [SigmaCorrelation]
    /// Whether any rule reads fields the scanner does not extract, so every record's raw JSON must be kept.
    public let needsRawRecords: Bool
    let indexes: [FieldIndex]
    let unindexed: [Int]
    /// The rules' searches and conditions, as objects (evaluating them copies no rule).
    let programs: [SigmaProgram]
    /// Per rule, whether its own matches become findings (not when only a correlation uses them).
    let emits: [Bool]
    /// Per rule, the correlations that count its matches.
    let correlationsOf: [[Int]]
    let evidencePaths: [[SigmaFieldPath]]
    private let descriptors: [String: RuleDescriptor]

    /// No rules.
    public init() { self.init(rules: [], correlations: []) }

    /// Indexes `rules`; `correlations` refer to rules by index.
    public init(rules: [SigmaRule], correlations: [SigmaCorrelation]) {
        self.rules = rules
        self.correlations = correlations
        needsRawRecords = rules.contains(where: \.needsRawRecord)
        var filed: [EventField: [[UInt8]: [Int]]] = [:]
        var unindexed: [Int] = []
        for (index, rule) in rules.enumerated() {
            if let (field, values) = rule.indexKey {
                for value in values { filed[field, default: [:]][value, default: []].append(index) }
            } else {
                unindexed.append(index)
            }
        }
        indexes = Self.indexFields.compactMap { field in
            guard let byValue = filed[field] else { return nil }
            let keys = byValue.keys.sorted { $0.lexicographicallyPrecedes($1) }
            return FieldIndex(
                field: field, values: NameIndex(keys.map { String(decoding: $0, as: UTF8.self) }),
                rules: keys.map { byValue[$0]! })
        }
        self.unindexed = unindexed
        programs = rules.map { SigmaProgram(searches: $0.searches, condition: $0.condition) }
        var emits = [Bool](repeating: true, count: rules.count)
        var correlationsOf = [[Int]](repeating: [], count: rules.count)
        var generated = Set<Int>()
        for (index, correlation) in correlations.enumerated() {
            for rule in correlation.rules {
                correlationsOf[rule].append(index)
                emits[rule] = false
                if correlation.generate { generated.insert(rule) }
            }
        }
        for rule in generated { emits[rule] = true }
        self.emits = emits
        self.correlationsOf = correlationsOf
        evidencePaths = rules.map(\.evidencePaths)
        var descriptors: [String: RuleDescriptor] = [:]
        for rule in rules { descriptors[rule.ruleID] = rule.descriptor }
        for correlation in correlations { descriptors[correlation.ruleID] = correlation.descriptor }
        self.descriptors = descriptors
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// The descriptor of a loaded rule, by `sigma:<id>`.
    public func descriptor(_ ruleID: String) -> RuleDescriptor? { descriptors[ruleID] }

    /// Every loaded rule's descriptor, detection rules first, in load order.
    public var allDescriptors: [RuleDescriptor] { rules.map(\.descriptor) + correlations.map(\.descriptor) }

    /// How many rules are tested on every record rather than found through the index.
    public var unindexedCount: Int { unindexed.count }

    public static func == (a: SigmaRuleSet, b: SigmaRuleSet) -> Bool {
        a.rules == b.rules && a.correlations == b.correlations
    }
}
