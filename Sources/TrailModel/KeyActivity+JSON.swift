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
        for entry in sortedByCount { writer.field(entry.value, entry.count) }
        writer.endObject()
    }
}
