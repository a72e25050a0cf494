/// Everything the logs say about one access key: who used it, when, how often, for what and from where.
///
/// A ``KeyActivity`` is an associative, commutative merge: the activity of a key over a whole archive is the merge
/// of its activity over any partition of the archive's records, so workers aggregate independently and merge at
/// the end, and the state store merges a night's run into history.
public struct KeyActivity: Sendable, Equatable {
    /// The default cap on distinct source IPs, user agents and regions kept exactly per key.
    public static let defaultValueCap = 256

    /// The key.
    public var accessKeyID: AccessKeyID
    /// The identity of the key's earliest event (ties broken by ``Principal``'s order, so merges are stable).
    public var principal: Principal
    /// Records signed with the key.
    public var events: Int
    /// Records with an `errorCode`.
    public var errors: Int
    /// Earliest `eventTime`, seconds since the epoch.
    public var firstSeen: Int64
    /// Latest `eventTime`, seconds since the epoch.
    public var lastSeen: Int64
    /// `eventSource` → count, exact.
    public var eventSources: ValueCounts
    /// `eventName` → count, exact.
    public var eventNames: ValueCounts
    /// `sourceIPAddress` → count, exact up to the cap.
    public var sourceIPs: ValueCounts
    /// `userAgent` → count, exact up to the cap.
    public var userAgents: ValueCounts
    /// `awsRegion` → count, exact up to the cap.
    public var regions: ValueCounts
    /// Events per UTC hour of the day, 24 entries.
    public var activeHours: [Int]
    /// Events per UTC day.
    public var dailyEvents: DayCounts
    /// Events that show the key itself in use: all but calls a service made on the principal's behalf
    /// (`invokedBy`), `AwsServiceEvent` records and console sessions.
    public var directEvents: Int
    /// The latest of those, seconds since the epoch.
    public var lastDirectUse: Int64?
    /// The latest event without an `errorCode`.
    public var lastSuccess: Int64?
    /// For long-term keys: the distinct /24 (IPv4) or /48 (IPv6) networks of direct use, per UTC day.
    public var dailyNetworks: [Int32: NetworkSet]

    /// Creates an empty activity record for `accessKeyID`.
    /// - Parameters:
    ///   - accessKeyID: the key.
    ///   - principal: the identity that signed with it.
    ///   - valueCap: the cap on distinct source IPs, user agents and regions.
    public init(accessKeyID: AccessKeyID, principal: Principal = Principal(), valueCap: Int = defaultValueCap) {
        self.accessKeyID = accessKeyID
        self.principal = principal
        self.events = 0
        self.errors = 0
        self.firstSeen = .max
        self.lastSeen = .min
        self.eventSources = ValueCounts(capacity: nil)
        self.eventNames = ValueCounts(capacity: nil)
        self.sourceIPs = ValueCounts(capacity: valueCap)
        self.userAgents = ValueCounts(capacity: valueCap)
        self.regions = ValueCounts(capacity: valueCap)
        self.activeHours = Array(repeating: 0, count: 24)
        self.dailyEvents = DayCounts()
        self.directEvents = 0
        self.lastDirectUse = nil
        self.lastSuccess = nil
        self.dailyNetworks = [:]
    }

    /// Creates an activity record from all of its parts.
    public init(
        accessKeyID: AccessKeyID, principal: Principal, events: Int, errors: Int, firstSeen: Int64, lastSeen: Int64,
        eventSources: ValueCounts, eventNames: ValueCounts, sourceIPs: ValueCounts, userAgents: ValueCounts,
        regions: ValueCounts, activeHours: [Int], dailyEvents: DayCounts, directEvents: Int, lastDirectUse: Int64?,
        lastSuccess: Int64?, dailyNetworks: [Int32: NetworkSet]
    ) {
        precondition(activeHours.count == 24, "activeHours has one count per hour")
        self.accessKeyID = accessKeyID
        self.principal = principal
        self.events = events
        self.errors = errors
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.eventSources = eventSources
        self.eventNames = eventNames
        self.sourceIPs = sourceIPs
        self.userAgents = userAgents
        self.regions = regions
        self.activeHours = activeHours
        self.dailyEvents = dailyEvents
        self.directEvents = directEvents
        self.lastDirectUse = lastDirectUse
        self.lastSuccess = lastSuccess
        self.dailyNetworks = dailyNetworks
    }

    /// The number of UTC days with events.
    public var activeDays: Int { dailyEvents.count }

    /// The kind of key (long-term, temporary, unknown).
    public var kind: AccessKeyKind { accessKeyID.kind }

    /// Merges the activity of the same key from another partition of the records.
    public mutating func merge(_ other: KeyActivity) {
        precondition(accessKeyID == other.accessKeyID, "merging activity of different keys")
        guard other.events > 0 else { return }
        if events == 0 || other.firstSeen < firstSeen || (other.firstSeen == firstSeen && other.principal < principal) {
            principal = other.principal
        }
        events += other.events
        errors += other.errors
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
        eventSources.merge(other.eventSources)
        eventNames.merge(other.eventNames)
        sourceIPs.merge(other.sourceIPs)
        userAgents.merge(other.userAgents)
        regions.merge(other.regions)
        for hour in 0..<24 { activeHours[hour] += other.activeHours[hour] }
        dailyEvents.merge(other.dailyEvents)
        directEvents += other.directEvents
        lastDirectUse = [lastDirectUse, other.lastDirectUse].compactMap { $0 }.max()
        lastSuccess = [lastSuccess, other.lastSuccess].compactMap { $0 }.max()
        for (day, networks) in other.dailyNetworks { dailyNetworks[day, default: NetworkSet()].formUnion(networks) }
    }
}
