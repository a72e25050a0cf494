import TrailModel

/// Tests one worker's records against a ``SigmaRuleSet``: finds the candidate rules through the index, evaluates
/// them, and hands back matches (for findings) and correlation entries.
///
/// A record no Sigma rule could match costs, per indexed field, a look into the memo of values met before (else a
/// length test, and for a plausible length a lowercase copy and a hash probe), and the gates of the rules tested on
/// every record; nothing is allocated for it.
final class SigmaEvaluator {
    let set: SigmaRuleSet
    /// Room for a value lowercased for an index lookup.
    private let lowered = UnsafeMutablePointer<UInt8>.allocate(capacity: SigmaRuleSet.FieldIndex.loweredCapacity)
    /// One slot per search of the rule being evaluated.
    private let results: UnsafeMutableBufferPointer<UInt8>
    /// The rules a record reaches; a fixed buffer with room for every rule (each is filed under one field, so a
    /// record reaches it at most once).
    private let candidates: UnsafeMutablePointer<Int>
    /// The field indexes in memory of the evaluator's own: read in place, where iterating an array would copy each
    /// index (three arrays) and retain and release their buffers for every record.
    private let indexTable: UnsafeMutableBufferPointer<SigmaRuleSet.FieldIndex>
    /// The indexes' answers for short values met before.
    private let memo: SigmaIndexMemo
    /// The rules' programs, owned here and read through ``programRefs`` without a retain and release per candidate.
    private let programs: [SigmaProgram]
    private let programRefs: [Unmanaged<SigmaProgram>]
    /// The rules that emit findings and matched the record last inspected (see ``inspect(_:)``).
    private let matched: UnsafeMutablePointer<Int>
    private let unindexed: [Int]
    /// Per unindexed rule, the test a record must pass before the rule is evaluated, when one could be derived.
    private let gates: [SigmaGate?]
    private let emits: [Bool]
    private let hasCorrelations: [Bool]
    /// Matches of correlation rules so far, per correlation and group.
    private var correlations: [String: SigmaCorrelationGroup] = [:]

    init(set: SigmaRuleSet) {
        self.set = set
        let indexes: [SigmaRuleSet.FieldIndex]
        (indexes, programs, unindexed) = set.workerTables()
        programRefs = programs.map { Unmanaged.passUnretained($0) }
        indexTable = .allocate(capacity: indexes.count)
        _ = indexTable.initialize(from: indexes)
        memo = SigmaIndexMemo(indexes: indexes.count)
        gates = unindexed.map { set.rules[$0].condition.gate(set.rules[$0].searches) }
        emits = set.emits.map { $0 }
        hasCorrelations = set.correlationsOf.map { !$0.isEmpty }
        results = .allocate(capacity: set.programs.map(\.searches.count).max() ?? 0)
        results.initialize(repeating: 0)
        candidates = .allocate(capacity: max(1, set.rules.count))
        matched = .allocate(capacity: max(1, set.rules.count))
    }

    deinit {
        indexTable.deinitialize()
        indexTable.deallocate()
        lowered.deallocate()
        candidates.deallocate()
        matched.deallocate()
        results.deallocate()
    }

    /// Tests `event`: keeps entries for correlation rules (see ``takeCorrelations()``), and returns how many rules
    /// that report their own findings matched; ``matchedRule(_:)`` names them, and ``match(_:_:)`` builds a match.
    ///
    /// Matches come back through the evaluator instead of a closure: a closure that captured the engine and the
    /// evaluator cost four atomic reference-count operations per record.
    func inspect(_ event: borrowing EventView) -> Int {
        var count = 0
        for position in indexTable.indices {
            let bytes = event.bytes(indexTable[position].field)
            let index = indexTable.baseAddress! + position
            let lowered = self.lowered
            guard let entry = memo.entry(position, bytes, lookup: { index.pointee.entry(of: $0, lowered: lowered) })
            else { continue }
            for rule in indexTable[position].rules[entry] {
                candidates[count] = rule
                count += 1
            }
        }
        for position in unindexed.indices {
            if gates[position]?.admits(event) == false { continue }
            candidates[count] = unindexed[position]
            count += 1
        }
        guard count > 0 else { return 0 }
        // The record as rules read it, parsing raw members at most once for all of them.
        var sigmaEvent = SigmaEvent(view: copy event)
        var matches = 0
        for position in 0..<count {
            let index = candidates[position]
            guard programRefs[index]._withUnsafeGuaranteedRef({ $0.matches(&sigmaEvent, results) }) else { continue }
            if emits[index] {
                matched[matches] = index
                matches += 1
            }
            guard hasCorrelations[index] else { continue }
            for correlation in set.correlationsOf[index] {
                add(correlation, rule: index, &sigmaEvent)
            }
        }
        return matches
    }

    /// The rule of the `position`th match of the record last inspected (`position` below what ``inspect(_:)``
    /// returned).
    @inline(__always)
    func matchedRule(_ position: Int) -> Int { matched[position] }

    /// The match of rule `index` on `event`: title and the matched fields as evidence.
    func match(_ index: Int, _ event: inout SigmaEvent) -> EventMatch {
        let rule = set.rules[index]
        let paths = set.evidencePaths[index]
        let name = event.view.string(.eventName) ?? "event"
        var fields: [JSONValue.Member] = []
        for path in paths.prefix(12) {
            let values = event.values(path).prefix(5).map { value -> JSONValue in
                let text = String(decoding: value.text.prefix(512), as: UTF8.self)
                switch value.kind {
                case .null: return .null
                case .bool(let flag): return .bool(flag)
                default: return .string(text)
                }
            }
            guard !values.isEmpty else { continue }
            fields.append(.init(path.name, values.count == 1 ? values[0] : .array(Array(values))))
        }
        let evidence: [JSONValue.Member] = [
            .init("sigmaRule", .object([.init("title", .string(rule.title)), .init("file", .string(rule.file))])),
            .init("matchedFields", .object(fields)),
        ]
        // One finding per rule, principal and hour: the event names and their counts are in its evidence.
        return EventMatch(
            subject: "",
            title:
                "\(rule.title): \(name) by \(event.view.string(.sessionIssuerArn) ?? RuleSupport.caller(event.view))",
            evidence: evidence)
    }

    /// The correlation entries collected since the last call.
    func takeCorrelations() -> [String: SigmaCorrelationGroup] {
        defer { correlations = [:] }
        return correlations
    }

    private func add(_ index: Int, rule: Int, _ event: inout SigmaEvent) {
        let correlation = set.correlations[index]
        guard let slot = correlation.rules.firstIndex(of: rule) else { return }
        let groupValues = correlation.groupPaths[slot].map { path in
            event.values(path).first.map { String(decoding: $0.text, as: UTF8.self) } ?? ""
        }
        let value = correlation.valuePaths[slot].flatMap { path in
            event.values(path).first.map { String(decoding: $0.text, as: UTF8.self) }
        }
        if correlation.kind == .valueCount && value == nil { return }
        let entry = SigmaCorrelationGroup.Entry(
            time: event.view.eventTime, eventID: event.view.string(.eventID) ?? "", slot: slot, value: value)
        let key = SigmaCorrelationGroup.key(correlation: index, groupValues: groupValues)
        if correlations[key] == nil {
            correlations[key] = SigmaCorrelationGroup(
                correlation: index, groupValues: groupValues, entry: entry, event: event.view)
        } else {
            correlations[key]!.add(entry, event: event.view)
        }
    }
}
