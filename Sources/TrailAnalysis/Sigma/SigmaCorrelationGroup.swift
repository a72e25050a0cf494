import TrailModel

/// The matches one correlation rule collected for one group (one combination of `group-by` values): what its
/// windows are measured over. Merges across workers in any order with the same result.
struct SigmaCorrelationGroup: Sendable, Equatable {
    /// One matching event.
    struct Entry: Sendable, Equatable, Comparable {
        var time: Int64
        var eventID: String
        /// Which of the correlation's rules it matched (index into ``SigmaCorrelation/rules``).
        var slot: Int
        /// The `value_count` field's value.
        var value: String?

        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.eventID, a.slot) < (b.time, b.eventID, b.slot) }
    }

    /// Entries kept per group; beyond it, further matches are counted but not windowed (memory stays bounded).
    static let capacity = 100_000

    let correlation: Int
    let groupValues: [String]
    var entries: [Entry] = []
    var dropped = 0
    /// Who the earliest entry was, for the finding.
    var first: Entry
    var accessKeyId: String?
    var principal: Principal
    var accountId: String?

    init(correlation: Int, groupValues: [String], entry: Entry, event: EventView) {
        self.correlation = correlation
        self.groupValues = groupValues
        self.first = entry
        self.entries = [entry]
        accessKeyId = event.string(.accessKeyId).flatMap { $0.isEmpty ? nil : $0 }
        principal = Principal(of: event)
        accountId = event.string(.recipientAccountId) ?? event.string(.accountId)
    }

    static func key(correlation: Int, groupValues: [String]) -> String {
        ([String(correlation)] + groupValues).joined(separator: "\u{1F}")
    }

    mutating func add(_ entry: Entry, event: EventView) {
        var single = SigmaCorrelationGroup(
            correlation: correlation, groupValues: groupValues, entry: entry, event: event)
        single.entries = [entry]
        merge(single)
    }

    mutating func merge(_ other: SigmaCorrelationGroup) {
        if other.first < first {
            first = other.first
            accessKeyId = other.accessKeyId
            principal = other.principal
            accountId = other.accountId
        }
        dropped += other.dropped
        let room = Self.capacity - entries.count
        if other.entries.count <= room {
            entries += other.entries
        } else {
            // Keep the earliest entries whatever the merge order.
            entries = Array((entries + other.entries).sorted().prefix(Self.capacity))
            dropped += other.entries.count - room
        }
    }

    /// The findings: each run of windows (of `timespan` from each event) whose measure meets the condition,
    /// reported once from the window's first event, not overlapping the previous finding.
    func findings(_ rule: SigmaCorrelation, severity: Severity) -> [Finding] {
        let events = entries.sorted()
        var findings: [Finding] = []
        var window = SlidingMeasure(rule: rule)
        var start = 0
        var end = 0
        while start < events.count {
            while end < events.count && events[end].time - events[start].time <= rule.timespan {
                window.add(events[end])
                end += 1
            }
            let measure = window.measure(events[start..<end])
            guard rule.holds(measure) else {
                window.remove(events[start])
                start += 1
                continue
            }
            findings.append(finding(rule, severity: severity, window: events[start..<end], measure: measure))
            window = SlidingMeasure(rule: rule)
            start = end
        }
        return findings
    }

    private func finding(
        _ rule: SigmaCorrelation, severity: Severity, window: ArraySlice<Entry>, measure: Int
    ) -> Finding {
        let firstEvent = window.first!
        let lastEvent = window.last!
        var evidence: [JSONValue.Member] = []
        if !rule.groupBy.isEmpty {
            evidence.append(
                .init(
                    "groupBy",
                    .object(zip(rule.groupBy, groupValues).map { .init($0.0, .string($0.1)) })))
        }
        evidence.append(.init(rule.kind.rawValue, .integer(Int64(measure))))
        evidence.append(
            .init("condition", .object(rule.bounds.map { .init($0.op.rawValue, .integer(Int64($0.value))) })))
        evidence.append(.init("timespanSeconds", .integer(rule.timespan)))
        evidence.append(.init("events", .integer(Int64(window.count))))
        if rule.kind == .valueCount {
            let values = Set(window.compactMap(\.value)).sorted().prefix(50)
            evidence.append(.init("values", .array(values.map(JSONValue.string))))
        }
        if dropped > 0 {
            evidence.append(.init("matchesNotWindowed", .integer(Int64(dropped))))
        }
        let groupText = groupValues.joined(separator: ", ")
        let title = groupText.isEmpty ? rule.title : "\(rule.title): \(groupText)"
        return Finding(
            id: Finding.stableID([rule.ruleID, groupValues.joined(separator: "\u{1F}"), String(firstEvent.time)]),
            rule: rule.ruleID, severity: severity, title: title, accessKeyId: accessKeyId, principal: principal,
            accountId: accountId, firstSeen: firstEvent.time, lastSeen: lastEvent.time, evidence: .object(evidence),
            eventIds: EventIDList(texts: window.map(\.eventID).prefix(Finding.eventIDLimit)), eventCount: window.count,
            remediation: rule.descriptor.remediation, references: rule.references, attack: rule.attack)
    }
}

/// A window's measure kept up to date as events enter and leave it, so sliding over a group is linear rather than
/// re-counting every window (a group holds up to 100,000 entries). `temporal_ordered` still scans its window.
private struct SlidingMeasure {
    let rule: SigmaCorrelation
    var values: [String: Int] = [:]
    var slots: [Int: Int] = [:]

    init(rule: SigmaCorrelation) { self.rule = rule }

    mutating func add(_ entry: SigmaCorrelationGroup.Entry) {
        switch rule.kind {
        case .valueCount: if let value = entry.value { values[value, default: 0] += 1 }
        case .temporal: slots[entry.slot, default: 0] += 1
        case .eventCount, .temporalOrdered: break
        }
    }

    mutating func remove(_ entry: SigmaCorrelationGroup.Entry) {
        switch rule.kind {
        case .valueCount:
            if let value = entry.value {
                values[value]! -= 1
                if values[value] == 0 { values[value] = nil }
            }
        case .temporal:
            slots[entry.slot]! -= 1
            if slots[entry.slot] == 0 { slots[entry.slot] = nil }
        case .eventCount, .temporalOrdered: break
        }
    }

    func measure(_ window: ArraySlice<SigmaCorrelationGroup.Entry>) -> Int {
        switch rule.kind {
        case .eventCount: return window.count
        case .valueCount: return values.count
        case .temporal: return slots.count
        case .temporalOrdered: return rule.orderedMeasure(window)
        }
    }
}
