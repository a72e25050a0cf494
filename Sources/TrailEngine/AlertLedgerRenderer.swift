import TrailModel
import TrailStore

/// Renders the alert ledger for `keytrail findings`: a table for people, or the `keytrail.findings/1` document.
public enum AlertLedgerRenderer {
    /// The JSON document's schema identifier.
    public static let schema = "keytrail.findings/1"

    /// The ledger as a table, most severe first.
    public static func text(_ records: [AlertRecord]) -> String {
        guard !records.isEmpty else { return "No findings in the ledger.\n" }
        var counts: [AlertStatus: Int] = [:]
        for record in records { counts[record.status, default: 0] += 1 }
        let summary = AlertStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
        var table = TextTable([
            ("ID", .left), ("STATUS", .left), ("SEVERITY", .left), ("RULE", .left), ("LAST FOUND", .left),
            ("TITLE", .left),
        ])
        for record in records {
            var status = record.status.rawValue
            if let until = record.suppressedUntil { status += " until " + Timestamp.formatDate(until) }
            table.add([
                record.id, status, record.severity.rawValue, record.rule, Timestamp.formatDate(record.lastSeen),
                record.title,
            ])
        }
        return "Findings: \(records.count) (" + summary.joined(separator: ", ") + ")\n\n" + table.render(indent: "  ")
    }

    /// The ledger as the `keytrail.findings/1` document; each entry carries the latest version of its finding.
    public static func json(_ records: [AlertRecord], store: String) -> [UInt8] {
        let writer = JSONWriter(indent: 2)
        writer.beginObject()
        writer.field("schema", schema)
        writer.field("state", store)
        writer.key("findings")
        writer.beginArray()
        for record in records {
            writer.beginObject()
            writer.field("id", record.id)
            writer.field("status", record.status.rawValue)
            writer.field("severity", record.severity.rawValue)
            writer.field("rule", record.rule)
            writer.field("title", record.title)
            writer.field("accessKeyId", record.accessKeyId)
            writer.field("firstEmitted", record.firstEmitted.map(Timestamp.format))
            writer.field("lastEmitted", record.lastEmitted.map(Timestamp.format))
            writer.field("lastFound", Timestamp.format(record.lastSeen))
            writer.field("suppressedUntil", record.suppressedUntil.map(Timestamp.format))
            writer.field("reason", record.reason)
            writer.key("finding")
            if let finding = record.finding { finding.write(into: writer) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return writer.bytes
    }
}
