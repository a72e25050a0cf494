import TrailAnalysis
import TrailEngine
import TrailIngest
import TrailModel

/// Scans bytes the way `keytrail scan` reads a file and returns owned copies of the events.
/// - Parameters:
///   - bytes: the file's bytes (gzip or plain).
///   - format: document or lines.
///   - chunkSize: the largest read, both from the "file" and from the decompressor.
///   - limits: caps; the chunk size overrides their chunk sizes.
/// - Returns: the valid events and the scan summary.
public func scanEvents(
    _ bytes: [UInt8], format: InputFormat = .document, chunkSize: Int? = nil, limits: ScanLimits = .default
) -> (events: [CloudTrailEvent], summary: ScanSummary) {
    var limits = limits
    if let chunkSize {
        limits.inflateChunkBytes = chunkSize
        limits.readChunkBytes = chunkSize
    }
    let reader = LogFileReader(limits: limits)
    var events: [CloudTrailEvent] = []
    let summary = reader.read(bytes: bytes, format: format, chunkSize: chunkSize ?? .max) { view in
        events.append(CloudTrailEvent(view))
    }
    return (events, summary)
}

/// Scans a string's UTF-8 bytes.
public func scanEvents(
    _ text: String, format: InputFormat = .document, chunkSize: Int? = nil, limits: ScanLimits = .default
) -> (events: [CloudTrailEvent], summary: ScanSummary) {
    scanEvents(Array(text.utf8), format: format, chunkSize: chunkSize, limits: limits)
}

/// Scans `bytes` and feeds every event to `aggregator`.
public func aggregate(_ bytes: [UInt8], into aggregator: KeyAggregator, format: InputFormat = .document) {
    let reader = LogFileReader()
    _ = reader.read(bytes: bytes, format: format) { view in aggregator.add(view) }
}

/// The activity of every key in `records`, sorted by key.
public func keyActivities(_ records: [RecordBuilder], valueCap: Int = KeyActivity.defaultValueCap) -> [KeyActivity] {
    let aggregator = KeyAggregator(valueCap: valueCap)
    aggregate(Array(RecordBuilder.document(records).utf8), into: aggregator)
    return aggregator.finish().sorted { $0.accessKeyID < $1.accessKeyID }
}

/// The bundled SampleLogs scanned with their credential report: the 21 findings of its story and its keys.
public func sampleScan() async -> ScanResult {
    var inventory = KeyInventory()
    try! inventory.add(path: Fixtures.sampleLogs + "/credential-report.csv")
    return await ScanPipeline(options: ScanOptions(paths: [Fixtures.sampleLogs], inventory: inventory)).run()
}

/// `count` distinct findings shaped like real ones (copies of SampleLogs' findings with new ids), for batching tests.
public func manyFindings(_ count: Int, from base: [Finding]) -> [Finding] {
    (0..<count).map { index in
        var finding = base[index % base.count]
        finding.id = Finding.stableID(["copy", String(index), finding.id])
        return finding
    }
}
