import TrailModel

/// The report as the `keytrail.report/1` JSON document, for dashboards and scripts.
public enum JSONReportRenderer {
    /// The document's schema identifier.
    public static let schema = "keytrail.report/1"

    /// Renders `report`.
    public static func render(_ report: Report) -> [UInt8] {
        let writer = JSONWriter(indent: 2)
        writer.beginObject()
        writer.field("schema", schema)
        writer.field("generatedAt", Timestamp.format(report.generatedAt))
        writer.field("asOf", Timestamp.format(report.asOf))
        writer.field("source", report.source)
        writer.key("coverage")
        writer.beginObject()
        let coverage = report.coverage
        writer.field("firstEvent", coverage.firstEvent.map(Timestamp.format))
        writer.field("lastEvent", coverage.lastEvent.map(Timestamp.format))
        writer.field("files", coverage.files)
        writer.field("records", coverage.records)
        writer.key("accounts")
        counts(coverage.accounts, into: writer)
        writer.key("regions")
        counts(coverage.regions, into: writer)
        writer.endObject()
        writer.key("summary")
        writer.beginObject()
        writer.field("findings", report.findings.count)
        writer.field("suppressed", report.suppressed)
        writer.key("bySeverity")
        writer.beginObject()
        for (severity, count) in report.severityCounts { writer.field(severity.rawValue, count) }
        writer.endObject()
        writer.key("byRule")
        writer.beginObject()
        for row in report.ruleCounts { writer.field(row.rule, row.count) }
        writer.endObject()
        writer.endObject()
        writer.key("riskyKeys")
        writer.beginArray()
        for key in report.riskyKeys {
            writer.beginObject()
            writer.field("accessKeyId", key.accessKeyId)
            writer.field("owner", key.owner)
            writer.field("kind", key.kind.rawValue)
            if let age = key.age(asOf: report.asOf) {
                writer.field("ageDays", age.days)
                writer.field("ageIsLowerBound", age.isLowerBound)
            }
            writer.field("firstSeen", key.activity.map { Timestamp.format($0.firstSeen) })
            writer.field("lastSeen", key.activity.map { Timestamp.format($0.lastSeen) })
            writer.field("events", key.activity?.events ?? 0)
            writer.field("score", key.score)
            writer.field("rules", strings: key.findings.map(\.rule))
            writer.field("fix", key.fix)
            let series = report.dailySeries(key.activity)
            writer.field("dailyFrom", series.first.map { Timestamp.formatDate(Int64($0.day) * 86_400) })
            writer.key("daily")
            writer.beginArray(inline: true)
            for point in series { writer.value(point.count) }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.key("findings")
        writer.beginArray()
        for finding in report.findings { finding.write(into: writer) }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return writer.bytes
    }

    static func counts(_ values: [String: Int], into writer: JSONWriter) {
        writer.beginObject()
        for (key, value) in values.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { writer.field(key, value) }
        writer.endObject()
    }
}
