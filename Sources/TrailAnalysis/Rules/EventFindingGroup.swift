import TrailModel

/// The matches of one rule for one actor and subject within one hour, becoming one finding.
///
/// Holds the earliest match's title and evidence, the earliest event IDs (up to ``Finding/eventIDLimit``) and
/// counts, so memory follows distinct groups, not events; merging groups from different workers gives the same
/// result in any order.
struct EventFindingGroup: Sendable, Equatable {
    let rule: String
    let actor: String
    let subject: String
    let hour: Int64
    var accessKeyId: String?
    var principal: Principal
    var accountId: String?
    var firstSeen: Int64
    var lastSeen: Int64
    var firstEventID: String
    var count: Int
    var title: String
    var severity: Severity
    var evidence: [JSONValue.Member]
    /// Earliest events by (time, id).
    var events: [TimedEventID]
    var eventNames: [String: Int]

    struct TimedEventID: Sendable, Equatable, Comparable {
        var time: Int64
        var id: String
        /// By time, then by the id's bytes (for ASCII ids, CloudTrail's, the same order as `String`'s, without its
        /// Unicode-aware comparison, which showed in profiles when many events share a second).
        static func < (a: TimedEventID, b: TimedEventID) -> Bool {
            if a.time != b.time { return a.time < b.time }
            return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
    }

    var key: String { Self.key(rule: rule, actor: actor, subject: subject, hour: hour) }

    static func key(rule: String, actor: String, subject: String, hour: Int64) -> String {
        [rule, actor, subject, String(hour)].joined(separator: "\u{1F}")
    }

    /// Folds another group with the same key in.
    mutating func merge(_ other: EventFindingGroup) {
        let otherFirst = TimedEventID(time: other.firstSeen, id: other.firstEventID)
        if otherFirst < TimedEventID(time: firstSeen, id: firstEventID) {
            firstSeen = other.firstSeen
            firstEventID = other.firstEventID
            title = other.title
            evidence = other.evidence
            accessKeyId = other.accessKeyId
            principal = other.principal
            accountId = other.accountId
        }
        lastSeen = max(lastSeen, other.lastSeen)
        count += other.count
        severity = max(severity, other.severity)
        events = Array((events + other.events).sorted().prefix(Finding.eventIDLimit))
        eventNames.merge(other.eventNames, uniquingKeysWith: +)
    }

    /// Adds one more matching event.
    mutating func add(
        time: Int64, eventID: String, name: String, severity: Severity, match: EventMatch, event: EventView
    ) {
        var single = EventFindingGroup.start(
            rule: rule, actor: actor, subject: subject, time: time, eventID: eventID, name: name, severity: severity,
            match: match, event: event)
        single.events = [TimedEventID(time: time, id: eventID)]
        merge(single)
    }

    /// Keeps `eventID` among the earliest ``Finding/eventIDLimit`` event IDs, if it is one of them (counts and
    /// times are the caller's, see `SigmaFindingGroups`).
    /// - Returns: the time of the latest event ID kept once the list is full (later events cannot enter it).
    mutating func addEventID(time: Int64, eventID: UnsafeBufferPointer<UInt8>) -> Int64? {
        let limit = Finding.eventIDLimit
        if events.count < limit || time <= events[events.count - 1].time {
            let entry = TimedEventID(time: time, id: String(decoding: eventID, as: UTF8.self))
            if events.isEmpty || events[events.count - 1] < entry {
                events.append(entry)  // records mostly arrive in time order
            } else {
                events.insert(entry, at: events.firstIndex { entry < $0 } ?? events.count)
            }
            if events.count > limit { events.removeLast() }
        }
        return events.count >= limit ? events[events.count - 1].time : nil
    }

    static func start(
        rule: String, actor: String, subject: String, time: Int64, eventID: String, name: String, severity: Severity,
        match: EventMatch, event: EventView
    ) -> EventFindingGroup {
        EventFindingGroup(
            rule: rule, actor: actor, subject: subject, hour: Timestamp.floorDiv(time, 3_600),
            accessKeyId: event.string(.accessKeyId).flatMap { $0.isEmpty ? nil : $0 },
            principal: Principal(of: event),
            accountId: event.string(.recipientAccountId) ?? event.string(.accountId), firstSeen: time, lastSeen: time,
            firstEventID: eventID, count: 1, title: match.title, severity: severity, evidence: match.evidence,
            events: [TimedEventID(time: time, id: eventID)], eventNames: [name: 1])
    }

    /// The finding, with the rule's metadata.
    func finding(descriptor: RuleDescriptor) -> Finding {
        var evidence = self.evidence
        if count > 1 || eventNames.count > 1 {
            evidence.append(.init("events", .integer(Int64(count))))
            let names = eventNames.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            evidence.append(.init("eventNames", .object(names.map { .init($0.key, .integer(Int64($0.value))) })))
        }
        return Finding(
            id: Finding.stableID([rule, actor, subject, String(hour)]), rule: rule, severity: severity, title: title,
            accessKeyId: accessKeyId, principal: principal, accountId: accountId, firstSeen: firstSeen,
            lastSeen: lastSeen, evidence: .object(evidence), eventIds: events.map(\.id), eventCount: count,
            remediation: descriptor.remediation, references: descriptor.references, attack: descriptor.attack)
    }
}
