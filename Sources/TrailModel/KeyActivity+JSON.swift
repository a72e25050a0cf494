extension KeyActivity {
    /// Writes the key as one object of the `keys` array of `keytrail.scan/1`.
    public func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("accessKeyId", accessKeyID.value)
        writer.field("kind", kind.rawValue)
        writer.key("principal")
        principal.write(into: &writer)
        writer.field("events", events)
        writer.field("errors", errors)
        writer.key("firstSeen")
        if events > 0 { writer.timestamp(firstSeen) } else { writer.null() }
        writer.key("lastSeen")
        if events > 0 { writer.timestamp(lastSeen) } else { writer.null() }
        writer.key("eventSources")
        eventSources.writeCounts(into: &writer)
        writer.key("eventNames")
        eventNames.writeCounts(into: &writer)
        writer.key("sourceIPs")
        sourceIPs.writeCounts(into: &writer)
        writer.key("userAgents")
        userAgents.writeCounts(into: &writer)
        writer.key("regions")
        regions.writeCounts(into: &writer)
        writer.key("activeHours")
        writer.beginArray(inline: true)
        for count in activeHours { writer.value(count) }
        writer.endArray()
        writer.field("activeDays", activeDays)
        writer.field("directEvents", directEvents)
        writer.key("lastDirectUse")
        if let lastDirectUse { writer.timestamp(lastDirectUse) } else { writer.null() }
        if sourceIPs.isTruncated || userAgents.isTruncated || regions.isTruncated {
            let capped: [(String, ValueCounts)] = [
                ("sourceIPs", sourceIPs), ("userAgents", userAgents), ("regions", regions),
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
    public func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("type", type, omitNil: true)
        writer.field("arn", arn, omitNil: true)
        writer.field("userName", userName, omitNil: true)
        writer.field("accountId", accountId, omitNil: true)
        writer.field("sessionIssuerArn", sessionIssuerArn, omitNil: true)
        writer.endObject()
    }
}

extension ValueCounts {
    /// Writes `{"value": count, …}`, most frequent first.
    public func writeCounts(into writer: inout JSONWriter) {
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
