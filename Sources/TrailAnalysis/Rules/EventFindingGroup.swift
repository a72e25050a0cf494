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
    var firstEventID: EventID
    var count: Int
    var title: String
    var severity: Severity
    var evidence: [JSONValue.Member]
    /// Earliest events by (time, id), kept by ``EarliestEvents``.
    var events: [TimedEventID]
    var eventNames: [String: Int]

    struct TimedEventID: Sendable, Equatable, Comparable {
        var time: Int64
        var eventID: EventID

        /// By time, then by the ID's bytes.
        static func < (a: TimedEventID, b: TimedEventID) -> Bool {
            if a.time != b.time { return a.time < b.time }
            return a.eventID < b.eventID
        }
    }

    /// The key a group is found by: its rule, actor, subject and hour.
    static func key(rule: String, actor: String, subject: String, hour: Int64) -> String {
        [rule, actor, subject, String(hour)].joined(separator: "\u{1F}")
    }

    /// Folds another group with the same key in.
    mutating func merge(_ other: EventFindingGroup) {
        let otherFirst = TimedEventID(time: other.firstSeen, eventID: other.firstEventID)
        if otherFirst < TimedEventID(time: firstSeen, eventID: firstEventID) {
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
        events.keepEarliest(other.events, limit: Finding.eventIDLimit)
        eventNames.merge(other.eventNames, uniquingKeysWith: +)
    }

    /// Adds one more matching event: the same as merging in a group of that event alone
    /// (``start(rule:actor:subject:time:eventID:name:severity:match:event:)``), without building one, and reading
    /// the event's identity only when it becomes the group's first.
    mutating func add(
        time: Int64, eventID: String, name: String, severity: Severity, match: EventMatch, event: EventView
    ) {
        let entry = TimedEventID(time: time, eventID: EventID(eventID))
        if entry < TimedEventID(time: firstSeen, eventID: firstEventID) {
            firstSeen = time
            firstEventID = entry.eventID
            title = match.title
            evidence = match.evidence
            (accessKeyId, principal, accountId) = Self.identity(of: event)
        }
        lastSeen = max(lastSeen, time)
        count += 1
        self.severity = max(self.severity, severity)
        withUnsafePointer(to: entry) {
            events.keepEarliest(UnsafeBufferPointer(start: $0, count: 1), limit: Finding.eventIDLimit)
        }
        eventNames[name, default: 0] += 1
    }

    static func start(
        rule: String, actor: String, subject: String, time: Int64, eventID: String, name: String, severity: Severity,
        match: EventMatch, event: EventView
    ) -> EventFindingGroup {
        let id = EventID(eventID)
        let (accessKeyId, principal, accountId) = identity(of: event)
        return EventFindingGroup(
            rule: rule, actor: actor, subject: subject, hour: Timestamp.floorDiv(time, 3_600),
            accessKeyId: accessKeyId, principal: principal, accountId: accountId, firstSeen: time, lastSeen: time,
            firstEventID: id, count: 1, title: match.title, severity: severity, evidence: match.evidence,
            events: [TimedEventID(time: time, eventID: id)], eventNames: [name: 1])
    }

    /// Who a group's first event is by: its access key, principal and account.
    private static func identity(of event: EventView) -> (key: String?, principal: Principal, account: String?) {
        (
            event.string(.accessKeyId).flatMap { $0.isEmpty ? nil : $0 }, Principal(of: event),
            event.string(.recipientAccountId) ?? event.string(.accountId)
        )
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
            lastSeen: lastSeen, evidence: .object(evidence), eventIds: EventIDList(events.map(\.eventID)),
            eventCount: count,
            remediation: descriptor.remediation, references: descriptor.references, attack: descriptor.attack)
    }
}

extension EventFindingGroup.TimedEventID {
    /// An event with the ID `id` (in an extension, so the memberwise initializer stays).
    init(time: Int64, id: String) { self.init(time: time, eventID: EventID(id)) }
}
