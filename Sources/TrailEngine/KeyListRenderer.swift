import Foundation
import TrailModel

/// Renders the keys of a state store for `keytrail keys`: a table for people, the `keytrail.keys/1` JSON document,
/// or CSV for spreadsheets (values from logs defused, see ``CSVField``).
public enum KeyListRenderer {
    /// The JSON document's schema identifier.
    public static let schema = "keytrail.keys/1"

    /// The CSV columns, in order.
    public static let csvColumns = [
        "accessKeyId", "kind", "principalType", "userName", "arn", "accountId", "events", "errors", "firstSeen",
        "lastSeen", "activeDays", "lastDirectUse", "lastSuccess", "distinctSourceIPs", "topSourceIP", "regions",
        "topEventName", "distinctUserAgents", "topUserAgent",
    ]

    /// Every key as a table, long-term keys first.
    public static func text(_ keys: [KeyActivity]) -> String {
        ScanTextRenderer.keyTable(keys, temporaryLimit: .max)
    }

    /// Every key as the `keytrail.keys/1` document (each key as in `keytrail.scan/1`).
    public static func json(_ keys: [KeyActivity], store: String) -> [UInt8] {
        let writer = JSONWriter(indent: 2)
        writer.beginObject()
        writer.field("schema", schema)
        writer.field("state", store)
        writer.key("keys")
        writer.beginArray()
        // In place: iterating the array copies each record, retaining every string and array in it.
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices { KeyActivity.write(keys.baseAddress! + index, into: writer) }
        }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return writer.bytes
    }

    /// Every key as CSV with a header row.
    public static func csv(_ keys: [KeyActivity]) -> String {
        var out = CSVField.line(csvColumns)
        // In place, as for JSON.
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices { out += line(keys.baseAddress! + index) }
        }
        return out
    }

    /// A key's CSV line.
    private static func line(_ key: UnsafePointer<KeyActivity>) -> String {
        let principal = key.pointee.principal
        return CSVField.line([
            key.pointee.accessKeyID.value, key.pointee.kind.rawValue, principal.type ?? "", principal.userName ?? "",
            principal.arn ?? "", principal.accountId ?? "", String(key.pointee.events), String(key.pointee.errors),
            Timestamp.format(key.pointee.firstSeen), Timestamp.format(key.pointee.lastSeen),
            String(key.pointee.activeDays), key.pointee.lastDirectUse.map(Timestamp.format) ?? "",
            key.pointee.lastSuccess.map(Timestamp.format) ?? "", String(key.pointee.sourceIPs.distinctCount),
            key.pointee.sourceIPs.mostFrequent?.value ?? "",
            key.pointee.regions.sortedByCount.map(\.value).joined(separator: ";"),
            key.pointee.eventNames.mostFrequent?.value ?? "", String(key.pointee.userAgents.distinctCount),
            key.pointee.userAgents.mostFrequent?.value ?? "",
        ])
    }
}
