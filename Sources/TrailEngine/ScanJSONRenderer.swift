import TrailModel

/// Renders a scan as the `keytrail.scan/1` JSON document.
public enum ScanJSONRenderer {
    /// The document's schema identifier.
    public static let schema = "keytrail.scan/1"

    /// Renders `result` into memory.
    /// - Parameters:
    ///   - result: the scan.
    ///   - indent: spaces per level; 0 for one line.
    /// - Returns: the document, ending with a newline.
    public static func render(_ result: ScanResult, indent: Int = 2) -> [UInt8] {
        var document: [UInt8] = []
        render(result, indent: indent) { document += $0 }
        return document
    }

    /// Renders `result` in pieces of about a megabyte, so a document for many keys is never held whole.
    /// - Parameters:
    ///   - result: the scan.
    ///   - indent: spaces per level; 0 for one line.
    ///   - output: receives each piece in order.
    public static func render(
        _ result: ScanResult, indent: Int = 2, to output: ([UInt8]) throws -> Void
    ) rethrows {
        var writer = JSONWriter(indent: indent)
        writer.beginObject()
        writer.field("schema", schema)
        writer.field("asOf", Timestamp.format(result.asOf))
        writer.key("stats")
        writeStats(result.stats, into: &writer)
        writer.key("coverage")
        writeCoverage(result, into: &writer)
        writer.key("keys")
        writer.beginArray()
        for key in result.keys {
            key.write(into: &writer)
            if writer.bytes.count >= 1 << 20 { try writer.drain(output) }
        }
        writer.endArray()
        writer.key("findings")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        writer.newline()
        try writer.drain(output)
    }

    static func writeStats(_ stats: ScanStats, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("files", stats.files)
        writer.field("skippedFiles", stats.skippedFiles)
        writer.field("records", stats.records)
        writer.field("invalidRecords", stats.invalidRecords)
        writer.key("bytesIn")
        writer.value(stats.bytesIn)
        writer.key("bytesDecompressed")
        writer.value(stats.bytesDecompressed)
        writer.key("errors")
        writer.beginArray()
        for error in stats.errors {
            writer.beginObject()
            writer.field("path", error.path)
            writer.field("message", error.message)
            writer.endObject()
        }
        writer.endArray()
        writer.field("prunedFiles", stats.prunedFiles)
        writer.field("ignoredFiles", stats.ignoredFiles)
        writer.field("recordsWithoutAccessKey", stats.recordsWithoutAccessKey)
        writer.field("recordsOutsideRange", stats.recordsOutsideRange)
        writer.endObject()
    }

    static func writeCoverage(_ result: ScanResult, into writer: inout JSONWriter) {
        let coverage = result.coverage
        writer.beginObject()
        writer.field("firstEvent", coverage.firstEvent.map(Timestamp.format))
        writer.field("lastEvent", coverage.lastEvent.map(Timestamp.format))
        writer.key("accounts")
        writeCounts(coverage.accounts, into: &writer)
        writer.key("regions")
        writeCounts(coverage.regions, into: &writer)
        writer.endObject()
    }

    static func writeCounts(_ counts: [String: Int], into writer: inout JSONWriter) {
        writer.beginObject()
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) { writer.field(name, count) }
        writer.endObject()
    }
}
