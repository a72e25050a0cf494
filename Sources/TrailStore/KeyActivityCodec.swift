import TrailModel

/// The stored form of ``KeyActivity``: compact, versioned, exact (a round trip gives an equal value).
enum KeyActivityCodec {
    static let version: UInt8 = 1

    static func encode(_ activity: KeyActivity) -> [UInt8] {
        var writer = ByteWriter()
        encode(activity, into: &writer)
        return writer.bytes
    }

    /// Appends the record to `writer`.
    static func encode(_ activity: KeyActivity, into writer: inout ByteWriter) {
        writer.count(Int(version))
        writer.string(activity.accessKeyID.value)
        writer.optionalString(activity.principal.type)
        writer.optionalString(activity.principal.arn)
        writer.optionalString(activity.principal.userName)
        writer.optionalString(activity.principal.accountId)
        writer.optionalString(activity.principal.sessionIssuerArn)
        writer.count(activity.events)
        writer.count(activity.errors)
        writer.signed(activity.firstSeen)
        writer.signed(activity.lastSeen)
        encode(activity.eventSources, into: &writer)
        encode(activity.eventNames, into: &writer)
        encode(activity.sourceIPs, into: &writer)
        encode(activity.userAgents, into: &writer)
        encode(activity.regions, into: &writer)
        for hour in activity.activeHours { writer.count(hour) }
        writer.count(activity.dailyEvents.days.count)
        for day in activity.dailyEvents.days {
            writer.signed(Int64(day.day))
            writer.count(day.count)
        }
        writer.count(activity.directEvents)
        writer.optionalSigned(activity.lastDirectUse)
        writer.optionalSigned(activity.lastSuccess)
        writer.count(activity.dailyNetworks.count)
        // In day order, so equal activity always encodes to equal bytes.
        let days =
            activity.dailyNetworks.count > 1 ? activity.dailyNetworks.keys.sorted() : Array(activity.dailyNetworks.keys)
        for day in days {
            let networks = activity.dailyNetworks[day]!
            writer.signed(Int64(day))
            writer.count(networks.prefixes.count)
            for prefix in networks.prefixes { writer.fixed64(prefix) }
            writer.bool(networks.overflowed)
        }
    }

    static func decode(_ bytes: [UInt8]) throws(StoreError) -> KeyActivity {
        var reader = ByteReader(bytes)
        return try decode(&reader)
    }

    /// Decodes the record `reader` covers, which must end there.
    static func decode(_ reader: inout ByteReader) throws(StoreError) -> KeyActivity {
        guard try reader.count() == Int(version) else { throw .corrupt("unknown key record version") }
        let id = try reader.string()
        let principal = Principal(
            type: try reader.optionalString(), arn: try reader.optionalString(), userName: try reader.optionalString(),
            accountId: try reader.optionalString(), sessionIssuerArn: try reader.optionalString())
        let events = try reader.count()
        let errors = try reader.count()
        let firstSeen = try reader.signed()
        let lastSeen = try reader.signed()
        var dimensions: [ValueCounts] = []
        for _ in 0..<5 { dimensions.append(try decodeCounts(&reader)) }
        var hours: [Int] = []
        for _ in 0..<24 { hours.append(try reader.count()) }
        var days: [DayCounts.Day] = []
        for _ in 0..<(try reader.count()) {
            days.append(DayCounts.Day(day: Int32(truncatingIfNeeded: try reader.signed()), count: try reader.count()))
        }
        let directEvents = try reader.count()
        let lastDirectUse = try reader.optionalSigned()
        let lastSuccess = try reader.optionalSigned()
        var networks: [Int32: NetworkSet] = [:]
        for _ in 0..<(try reader.count()) {
            let day = Int32(truncatingIfNeeded: try reader.signed())
            var set = NetworkSet()
            for _ in 0..<(try reader.count(limit: NetworkSet.capacity)) { set.insert(try reader.fixed64()) }
            if try reader.bool() { set.markOverflowed() }
            networks[day] = set
        }
        guard reader.isAtEnd else { throw .corrupt("a key record has trailing bytes") }
        return KeyActivity(
            accessKeyID: AccessKeyID(id), principal: principal, events: events, errors: errors, firstSeen: firstSeen,
            lastSeen: lastSeen, eventSources: dimensions[0], eventNames: dimensions[1], sourceIPs: dimensions[2],
            userAgents: dimensions[3], regions: dimensions[4], activeHours: hours, dailyEvents: DayCounts(days: days),
            directEvents: directEvents, lastDirectUse: lastDirectUse, lastSuccess: lastSuccess, dailyNetworks: networks)
    }

    private static func encode(_ counts: ValueCounts, into writer: inout ByteWriter) {
        writer.count(counts.capacity.map { $0 + 1 } ?? 0)
        writer.count(counts.otherCount)
        writer.fixed64(counts.threshold)
        writer.count(counts.entries.count)
        // Read in place: iterating copies each entry, retaining its string.
        counts.entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                writer.string(entries[index].value)
                writer.count(entries[index].count)
            }
        }
    }

    private static func decodeCounts(_ reader: inout ByteReader) throws(StoreError) -> ValueCounts {
        let capacity = try reader.count()
        let other = try reader.count()
        let threshold = try reader.fixed64()
        var entries: [ValueCounts.Entry] = []
        let count = try reader.count()
        // Each entry takes at least two bytes: a larger count is damage, not a reason to reserve memory.
        entries.reserveCapacity(min(count, 4_096))
        for _ in 0..<count {
            entries.append(ValueCounts.Entry(value: try reader.string(), count: try reader.count()))
        }
        return ValueCounts(
            distinctEntries: entries, otherCount: other, threshold: threshold,
            capacity: capacity == 0 ? nil : capacity - 1)
    }
}
