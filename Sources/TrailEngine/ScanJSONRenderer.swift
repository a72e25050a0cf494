import Dispatch
import TrailIngest
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

    /// Renders `result` in pieces, so a document for many keys is never held whole.
    ///
    /// Keys are rendered in windows by `threads` threads at once (each key object as a fragment at its nesting
    /// depth) and written in order, so the document is the same for any number of threads.
    /// - Parameters:
    ///   - result: the scan.
    ///   - indent: spaces per level; 0 for one line.
    ///   - threads: how many threads render key objects.
    ///   - output: receives each piece in order.
    public static func render(
        _ result: ScanResult, indent: Int = 2, threads: Int = 1, to output: ([UInt8]) throws -> Void
    ) rethrows {
        let writer = JSONWriter(indent: indent)
        writer.beginObject()
        writer.field("schema", schema)
        writer.field("asOf", Timestamp.format(result.asOf))
        writer.key("stats")
        writeStats(result.stats, into: writer)
        writer.key("coverage")
        writeCoverage(result, into: writer)
        if let state = result.state {
            writer.key("state")
            writer.beginObject()
            writer.field("path", state.path)
            writer.field("filesInLedger", state.filesInLedger)
            writer.field("keysInHistory", state.keysInHistory)
            writer.field("alreadyReported", state.alreadyReported)
            writer.field("suppressed", state.suppressed)
            writer.endObject()
        }
        writer.key("keys")
        try writeArray(result.keys, into: writer, threads: threads, output: output) {
            KeyActivity.write($0, into: $1)
        }
        writer.key("findings")
        try writeArray(result.findings, into: writer, threads: threads, output: output) {
            $0.pointee.write(into: $1)
        }
        writer.endObject()
        writer.newline()
        try writer.drain(output)
    }

    /// Writes `elements` as an array at depth 1, rendered on `threads` threads in windows and handed to `output` a
    /// batch of windows at a time. Elements are read in place: copying a key record or a finding per element would
    /// retain each of its parts.
    private static func writeArray<Element>(
        _ elements: [Element], into writer: JSONWriter, threads: Int, output: ([UInt8]) throws -> Void,
        write: @escaping (UnsafePointer<Element>, JSONWriter) -> Void
    ) rethrows {
        let window = 512
        let parallel = max(1, threads)
        let indent = writer.indentWidth
        writer.beginArray()
        var start = 0
        while start < elements.count {
            let batch = min(elements.count - start, window * parallel)
            let first = start
            let fragments = elements.withUnsafeBufferPointer { elements in
                let base = UncheckedSendable(elements.baseAddress! + first)
                return renderWindows(count: batch, indent: indent, window: window, threads: parallel) {
                    position, fragment in write(base.value + position, fragment)
                }
            }
            for fragment in fragments { try writer.rawValue(fragment, drainingTo: output) }
            start += batch
        }
        writer.endArray()
    }

    /// Renders `count` array elements at depth 2 (inside `"keys": [` or `"findings": [`), a window of elements per
    /// thread, each window one fragment of consecutive elements, returned in order.
    private static func renderWindows(
        count: Int, indent: Int, window: Int, threads: Int, element: @escaping (Int, JSONWriter) -> Void
    ) -> [[UInt8]] {
        let windows = (count + window - 1) / window
        var fragments = [[UInt8]](repeating: [], count: windows)
        fragments.withUnsafeMutableBufferPointer { buffer in
            let slots = UncheckedSendable(buffer)
            let render = UncheckedSendable(element)
            DispatchQueue.concurrentPerform(iterations: windows) { index in
                let writer = JSONWriter(indent: indent, depth: 2, elements: true)
                for position in index * window..<min((index + 1) * window, count) { render.value(position, writer) }
                slots.value[index] = writer.bytes
            }
        }
        return fragments
    }

    static func writeStats(_ stats: ScanStats, into writer: JSONWriter) {
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
        writer.field("alreadyProcessed", stats.alreadyProcessed)
        writer.field("changedFiles", stats.changedFiles)
        if let resident = stats.memoryBudgetPassedAt {
            // Only when --max-memory was passed, so other documents are unchanged.
            writer.key("memoryBudget")
            writer.beginObject()
            writer.key("residentBytesWhenPassed")
            writer.value(resident)
            writer.field("valuesKeptPerKeyAfter", MemoryBudget.valuesAfterShedding)
            writer.endObject()
        }
        if let signalNumber = stats.interruptedBy {
            // Only in a run a signal stopped, so a complete run's document is unchanged.
            writer.key("interrupted")
            writer.beginObject()
            writer.field("signal", Interruption.name(of: signalNumber))
            writer.field("filesNotRead", stats.filesNotRead)
            writer.field("keyRulesEvaluated", false)
            writer.endObject()
        }
        writer.endObject()
    }

    static func writeCoverage(_ result: ScanResult, into writer: JSONWriter) {
        let coverage = result.coverage
        writer.beginObject()
        writer.field("firstEvent", coverage.firstEvent.map(Timestamp.format))
        writer.field("lastEvent", coverage.lastEvent.map(Timestamp.format))
        writer.key("accounts")
        writeCounts(coverage.accounts, into: writer)
        writer.key("regions")
        writeCounts(coverage.regions, into: writer)
        writer.endObject()
    }

    static func writeCounts(_ counts: [String: Int], into writer: JSONWriter) {
        writer.beginObject()
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) { writer.field(name, count) }
        writer.endObject()
    }
}
