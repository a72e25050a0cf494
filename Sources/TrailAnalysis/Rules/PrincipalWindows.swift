import TrailModel

/// One principal's per-minute tallies for a windowed rule. Minutes, not events, are kept, so a storm of millions of
/// calls costs as much as its duration; merging tallies from different workers adds them.
struct PrincipalWindows: Sendable, Equatable {
    /// What happened in one minute.
    struct Minute: Sendable, Equatable {
        var count = 0
        /// The earliest events of the minute, sorted, for the finding's event IDs.
        var events: [EventFindingGroup.TimedEventID] = []
        var names: [String: Int] = [:]
        /// Distinct items (secret ids) seen, capped.
        var items: Set<String> = []
        /// `BatchGetSecretValue` calls.
        var batchCalls = 0

        static let eventLimit = 10
        static let itemLimit = 256

        mutating func merge(_ other: Minute) {
            count += other.count
            events.keepEarliest(other.events, limit: Self.eventLimit)
            names.merge(other.names, uniquingKeysWith: +)
            for item in other.items where items.count < Self.itemLimit { items.insert(item) }
            batchCalls += other.batchCalls
        }
    }

    var principal: Principal
    var accessKeyId: String?
    var accountId: String?
    /// The time of the event the principal details came from (the earliest), to merge deterministically.
    var detailsTime: Int64
    var minutes: [Int64: Minute] = [:]

    init(event: EventView) {
        principal = Principal(of: event)
        accessKeyId = event.string(.accessKeyId).flatMap { $0.isEmpty ? nil : $0 }
        accountId = event.string(.recipientAccountId) ?? event.string(.accountId)
        detailsTime = event.eventTime
    }

    /// The actor a window belongs to: the principal ARN, else the key.
    static func actor(_ event: borrowing EventView) -> String? {
        if let arn = event.bytes(.arn), arn.count > 0 { return String(decoding: arn, as: UTF8.self) }
        if let key = event.bytes(.accessKeyId), key.count > 0 { return String(decoding: key, as: UTF8.self) }
        return nil
    }

    /// Counts an event (with an optional item such as a secret id, or as a batch call).
    mutating func add(_ event: EventView, item: String? = nil, batch: Bool = false) {
        if event.eventTime < detailsTime {
            let earlier = PrincipalWindows(event: event)
            principal = earlier.principal
            accessKeyId = earlier.accessKeyId
            accountId = earlier.accountId
            detailsTime = event.eventTime
        }
        var minute = Minute()
        minute.count = 1
        minute.events = [
            EventFindingGroup.TimedEventID(time: event.eventTime, eventID: EventID(event.bytesOrEmpty(.eventID)))
        ]
        minute.names = [event.string(.eventName) ?? "": 1]
        if let item { minute.items = [item] }
        if batch { minute.batchCalls = 1 }
        minutes[Timestamp.floorDiv(event.eventTime, 60), default: Minute()].merge(minute)
    }

    mutating func merge(_ other: PrincipalWindows) {
        if other.detailsTime < detailsTime {
            principal = other.principal
            accessKeyId = other.accessKeyId
            accountId = other.accountId
            detailsTime = other.detailsTime
        }
        for (minute, tally) in other.minutes { minutes[minute, default: Minute()].merge(tally) }
    }

    /// A run of minutes in which some window of `windowMinutes` met the rule's condition.
    struct Burst {
        var start: Int64
        var end: Int64
        /// The largest value of the condition's measure in one window (events, or distinct items).
        var peak: Int
        var total = Minute()
    }

    /// The bursts: every window of `windowMinutes` whose minutes satisfy `qualifies` (given the window's merged
    /// tally), with overlapping windows joined.
    func bursts(windowMinutes: Int64, measure: (Minute) -> Int, qualifies: (Minute) -> Bool) -> [Burst] {
        let sorted = minutes.keys.sorted()
        var bursts: [Burst] = []
        for (index, start) in sorted.enumerated() {
            var window = Minute()
            var last = start
            for minute in sorted[index...] where minute < start + windowMinutes {
                window.merge(minutes[minute]!)
                last = minute
            }
            guard qualifies(window) else { continue }
            if var current = bursts.last, start <= current.end {
                current.end = max(current.end, last)
                current.peak = max(current.peak, measure(window))
                bursts[bursts.count - 1] = current
            } else {
                bursts.append(Burst(start: start, end: last, peak: measure(window)))
            }
        }
        for index in bursts.indices {
            for minute in sorted where minute >= bursts[index].start && minute <= bursts[index].end {
                bursts[index].total.merge(minutes[minute]!)
            }
        }
        return bursts
    }
}
