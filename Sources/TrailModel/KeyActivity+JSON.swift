extension KeyActivity {
    /// Writes the key as one object of the `keys` array of `keytrail.scan/1`.
    public func write(into writer: JSONWriter) {
        withUnsafePointer(to: self) { Self.write($0, into: writer) }
    }

    /// Writes the key at `activity` in place, reading one field at a time: a method called on a pointer's `pointee`
    /// works on a copy of the whole record, made and destroyed around the call (a 400-byte copy and a retain and a
    /// release of each of its strings and arrays, 14% of rendering's CPU time with 49,000 keys).
    public static func write(_ activity: UnsafePointer<KeyActivity>, into writer: JSONWriter) {
        writer.beginObject()
        writer.field("accessKeyId", activity.pointee.accessKeyID.value)
        writer.field("kind", activity.pointee.kind.rawValue)
        writer.key("principal")
        Principal.write(activity.pointer(to: \.principal)!, into: writer)
        let events = activity.pointee.events
        writer.field("events", events)
        writer.field("errors", activity.pointee.errors)
        writer.key("firstSeen")
        if events > 0 { writer.timestamp(activity.pointee.firstSeen) } else { writer.null() }
        writer.key("lastSeen")
        if events > 0 { writer.timestamp(activity.pointee.lastSeen) } else { writer.null() }
        writer.key("eventSources")
        activity.pointee.eventSources.writeCounts(into: writer)
        writer.key("eventNames")
        activity.pointee.eventNames.writeCounts(into: writer)
        writer.key("sourceIPs")
        activity.pointee.sourceIPs.writeCounts(into: writer)
        writer.key("userAgents")
        activity.pointee.userAgents.writeCounts(into: writer)
        writer.key("regions")
        activity.pointee.regions.writeCounts(into: writer)
        writer.key("activeHours")
        writer.beginArray(inline: true)
        for count in activity.pointee.activeHours { writer.value(count) }
        writer.endArray()
        writer.field("activeDays", activity.pointee.activeDays)
        writer.field("directEvents", activity.pointee.directEvents)
        writer.key("lastDirectUse")
        if let lastDirectUse = activity.pointee.lastDirectUse { writer.timestamp(lastDirectUse) } else { writer.null() }
        let truncated =
            activity.pointee.sourceIPs.isTruncated || activity.pointee.userAgents.isTruncated
            || activity.pointee.regions.isTruncated
        if truncated {
            let capped: [(String, ValueCounts)] = [
                ("sourceIPs", activity.pointee.sourceIPs), ("userAgents", activity.pointee.userAgents),
                ("regions", activity.pointee.regions),
            ]
            writer.key("truncated")
            writer.beginObject()
            for (name, counts) in capped where counts.isTruncated {
                writer.key(name)
                writer.beginObject()
                writer.field("kept", counts.entries.count)
                writer.field("distinctApprox", counts.distinctCount)
                writer.field("otherEvents", counts.otherCount)
                writer.endObject()
            }
            writer.endObject()
        }
        writer.endObject()
    }
}

extension Principal {
    /// Writes the principal as an object; absent parts are omitted.
    public func write(into writer: JSONWriter) {
        withUnsafePointer(to: self) { Self.write($0, into: writer) }
    }

    /// Writes the principal at `principal` in place, a field at a time (see ``KeyActivity/write(_:into:)``).
    public static func write(_ principal: UnsafePointer<Principal>, into writer: JSONWriter) {
        writer.beginObject()
        writer.field("type", principal.pointee.type, omitNil: true)
        writer.field("arn", principal.pointee.arn, omitNil: true)
        writer.field("userName", principal.pointee.userName, omitNil: true)
        writer.field("accountId", principal.pointee.accountId, omitNil: true)
        writer.field("sessionIssuerArn", principal.pointee.sessionIssuerArn, omitNil: true)
        writer.endObject()
    }
}

extension ValueCounts {
    /// Writes `{"value": count, …}`, most frequent first.
    public func writeCounts(into writer: JSONWriter) {
        writer.beginObject()
        entries.withUnsafeBufferPointer { entries in
            guard entries.count <= Self.inlineOrderLimit else {
                for entry in sortedByCount { writer.field(entry.value, entry.count) }
                return
            }
            // The usual handful of values: their order by an insertion sort of positions on the stack, with the
            // entries read in place (``sortedByCount`` allocates an array and retains every value).
            var order = InlineArray<16, UInt8>(repeating: 0)
            for index in 0..<entries.count { order[index] = UInt8(index) }
            for index in entries.indices.dropFirst() {
                let moving = order[index]
                var slot = index
                while slot > 0 && Self.ranksBefore(entries[Int(moving)], entries[Int(order[slot - 1])]) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = moving
            }
            for index in entries.indices {
                let entry = entries.baseAddress! + Int(order[index])
                writer.field(entry.pointee.value, entry.pointee.count)
            }
        }
        writer.endObject()
    }

    /// The most entries ``writeCounts(into:)`` orders on the stack.
    private static let inlineOrderLimit = 16

}
