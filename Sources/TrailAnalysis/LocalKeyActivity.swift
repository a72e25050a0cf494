import TrailModel

/// A worker's running activity of one key, with strings as interned ids; turned into ``KeyActivity`` at the end.
struct LocalKeyActivity: ~Copyable {
    /// Interned ids of the principal's parts; `nil` parts were absent.
    struct PrincipalIDs: Equatable {
        var type: UInt32?
        var arn: UInt32?
        var userName: UInt32?
        var accountId: UInt32?
        var sessionIssuerArn: UInt32?
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
    /// Networks of direct use on days other than the current network day (long-term keys only).
    var pastNetworks: [Int32: NetworkSet] = [:]
    var networks = NetworkSet()

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
        if day != networkDay {
            if networkDay != .min { pastNetworks[networkDay, default: NetworkSet()].formUnion(networks) }
            networkDay = day
            networks = pastNetworks.removeValue(forKey: day) ?? NetworkSet()
        }
        networks.insert(prefix)
    }

    /// Events per day, including the day being counted.
    func dailyEvents() -> DayCounts {
        var days = pastDays.map { DayCounts.Day(day: $0.key, count: $0.value) }
        if currentDay != .min { days.append(DayCounts.Day(day: currentDay, count: currentDayCount)) }
        return DayCounts(days: days)
    }

    /// Networks per day, including the day being filled.
    func dailyNetworks() -> [Int32: NetworkSet] {
        guard networkDay != .min else { return pastNetworks }
        var all = pastNetworks
        all[networkDay, default: NetworkSet()].formUnion(networks)
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
                networks.formUnion(set)
            } else {
                pastNetworks[day, default: NetworkSet()].formUnion(set)
            }
        }
        directEvents += other.directEvents
        lastDirectUse = max(lastDirectUse, other.lastDirectUse)
        lastSuccess = max(lastSuccess, other.lastSuccess)
    }
}
