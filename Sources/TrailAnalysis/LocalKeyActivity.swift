import TrailModel

/// A worker's running activity of one key, with strings as interned ids; turned into ``KeyActivity`` at the end.
struct LocalKeyActivity: ~Copyable {
    /// Interned ids of the principal's parts; `nil` parts were absent.
    ///
    /// Stored as five plain ids with `UInt32.max` for an absent part: 20 bytes instead of the 40 of five optionals,
    /// which leaves room in the record's last line for the day's networks (``LocalNetworks``).
    struct PrincipalIDs: Equatable {
        private static let absent = UInt32.max
        private var storedType = absent
        private var storedArn = absent
        private var storedUserName = absent
        private var storedAccountId = absent
        private var storedSessionIssuerArn = absent

        init(
            type: UInt32? = nil, arn: UInt32? = nil, userName: UInt32? = nil, accountId: UInt32? = nil,
            sessionIssuerArn: UInt32? = nil
        ) {
            storedType = Self.stored(type)
            storedArn = Self.stored(arn)
            storedUserName = Self.stored(userName)
            storedAccountId = Self.stored(accountId)
            storedSessionIssuerArn = Self.stored(sessionIssuerArn)
        }

        var type: UInt32? { Self.id(storedType) }
        var arn: UInt32? { Self.id(storedArn) }
        var userName: UInt32? { Self.id(storedUserName) }
        var accountId: UInt32? { Self.id(storedAccountId) }
        var sessionIssuerArn: UInt32? { Self.id(storedSessionIssuerArn) }

        @inline(__always)
        private static func stored(_ id: UInt32?) -> UInt32 {
            guard let id else { return absent }
            precondition(id != absent, "an identity interner passed 4,294,967,294 strings")
            return id
        }

        @inline(__always)
        private static func id(_ stored: UInt32) -> UInt32? { stored == absent ? nil : stored }
    }

    // The fields are ordered by cache line (the table aligns each key to 64 bytes): first what every event
    // updates besides its values, then one line per dimension, then what changes less often.
    var events = 0
    var errors = 0
    var directEvents = 0
    var firstSeen = Int64.max
    var lastSeen = Int64.min
    var lastDirectUse = Int64.min
    var lastSuccess = Int64.min
    /// Events on the day being counted, kept out of the dictionary while consecutive events land on it.
    var currentDayCount = 0
    var eventSources = LocalValueCounts()
    var eventNames = LocalValueCounts()
    var sourceIPs = LocalValueCounts()
    var userAgents = LocalValueCounts()
    var regions = LocalValueCounts()
    var activeHours = InlineArray<24, Int32>(repeating: 0)
    /// The day being counted.
    var currentDay = Int32.min
    var networkDay = Int32.min
    /// Whether this is a long-term (`AKIA`) key, whose networks per day are tracked.
    let isLongTerm: Bool
    var principal = PrincipalIDs()
    /// Events on days other than the current one.
    var pastDays: [Int32: Int] = [:]
    /// Networks of direct use on days other than the current network day (long-term keys only), and on the current
    /// day too once it has more than ``LocalNetworks`` holds.
    var pastNetworks: [Int32: NetworkSet] = [:]
    /// The current network day's networks while there are few: in the record, which is in cache when an event is
    /// counted, where a set's own array was a cache miss for nearly every direct-use event of a long-term key.
    var networks = LocalNetworks()

    init(isLongTerm: Bool) { self.isLongTerm = isLongTerm }

    @inline(__always)
    mutating func addDay(_ day: Int32) {
        if day != currentDay {
            if currentDay != .min { pastDays[currentDay, default: 0] += currentDayCount }
            currentDay = day
            currentDayCount = 0
        }
        currentDayCount &+= 1
    }

    mutating func addNetwork(_ prefix: UInt64, day: Int32) {
        if day != networkDay { startNetworkDay(day) }
        insertNetwork(prefix)
    }

    /// Leaves the current network day for `day`: its networks join the past days', and `day`'s networks stay in
    /// ``pastNetworks`` if an earlier event of this key filled them (events of a file come out of time order).
    private mutating func startNetworkDay(_ day: Int32) {
        if networkDay != .min { spillNetworks() }
        networkDay = day
        networks = LocalNetworks(spilled: pastNetworks[day] != nil)
    }

    /// Adds a network of the current network day.
    private mutating func insertNetwork(_ prefix: UInt64) {
        if !networks.isSpilled && networks.insert(prefix) { return }
        spillNetworks()
        pastNetworks[networkDay, default: NetworkSet()].insert(prefix)
    }

    /// Moves the current network day's networks to ``pastNetworks``, where the day's further networks go: when there
    /// are more than ``LocalNetworks`` holds, and when the day ends. They are inserted in the order they came, so the
    /// day's set is the one inserting every network into a ``NetworkSet`` gives.
    private mutating func spillNetworks() {
        guard !networks.isSpilled else { return }
        pastNetworks[networkDay, default: NetworkSet()].formUnion(networks.set())
        networks = LocalNetworks(spilled: true)
    }

    /// Events per day, including the day being counted.
    func dailyEvents() -> DayCounts {
        var days = pastDays.map { DayCounts.Day(day: $0.key, count: $0.value) }
        if currentDay != .min { days.append(DayCounts.Day(day: currentDay, count: currentDayCount)) }
        return DayCounts(days: days)
    }

    /// Networks per day, including the day being filled.
    func dailyNetworks() -> [Int32: NetworkSet] {
        guard networkDay != .min && !networks.isSpilled else { return pastNetworks }
        var all = pastNetworks
        all[networkDay, default: NetworkSet()].formUnion(networks.set())
        return all
    }

    /// Adds another partial record's days, networks and direct-use facts.
    mutating func absorbTimeline(_ other: borrowing LocalKeyActivity) {
        for day in other.dailyEvents().days {
            if day.day == currentDay {
                currentDayCount += day.count
            } else {
                pastDays[day.day, default: 0] += day.count
            }
        }
        for (day, set) in other.dailyNetworks() {
            if day == networkDay {
                for prefix in set.prefixes { insertNetwork(prefix) }
                if set.overflowed {
                    spillNetworks()
                    pastNetworks[networkDay, default: NetworkSet()].markOverflowed()
                }
            } else {
                pastNetworks[day, default: NetworkSet()].formUnion(set)
            }
        }
        directEvents += other.directEvents
        lastDirectUse = max(lastDirectUse, other.lastDirectUse)
        lastSuccess = max(lastSuccess, other.lastSuccess)
    }
}
