import TrailAnalysis
import TrailIngest
import TrailModel
import TrailSigma

/// The code that reads input an attacker may write, each as a function of arbitrary bytes for a fuzzer to call.
///
/// Every target must return for every input: no crash, no hang, no unbounded memory. Where two code paths must agree
/// (streaming and whole-buffer reading, one chunk size and another), the target checks that they do with
/// `precondition`, so a disagreement is a crash the fuzzer keeps like any other.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The record scanner: the bytes as a CloudTrail document and as JSON lines, read in one piece and in 7-byte
    /// chunks, every field of every record materialised and the raw members parsed as the rules parse them.
    case scanner
    /// The gzip layer: the bytes as a gzip file, and the bytes gzipped, each read whole (ISA-L, else libdeflate), by
    /// the streamed members (the same, zlib where they decline) and by streaming zlib alone, which must agree.
    case gzip
    /// The key inventory parsers: the IAM credential report CSV, list-access-keys JSON, and AWS's ip-ranges.json.
    case inventory
    /// The Sigma loader, and the rules it loads run over a few real-shaped records.
    case sigma

    /// Caps small enough that one input cannot take long, large enough for every seed.
    static let limits = ScanLimits(maxRecordBytes: 1 << 20, maxDecompressedBytes: 8 << 20)

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .scanner: Self.scan(bytes)
        case .gzip: Self.gzip(bytes)
        case .inventory: Self.inventory(bytes)
        case .sigma: Self.sigma(bytes)
        }
    }

    private static func scan(_ bytes: [UInt8]) {
        let reader = LogFileReader(limits: limits)
        for format in [InputFormat.document, .lines] {
            let whole = read(bytes, reader: reader, format: format, chunkSize: .max)
            let chunked = read(bytes, reader: reader, format: format, chunkSize: 7)
            precondition(whole.events == chunked.events, "events differ between one piece and 7-byte chunks")
            precondition(whole.summary == chunked.summary, "summaries differ: \(whole.summary) \(chunked.summary)")
        }
    }

    private static func gzip(_ bytes: [UInt8]) {
        let reader = LogFileReader(limits: limits)
        // The input itself as gzip: mostly corrupt, which both paths must report, not crash on.
        let raw = read(bytes, reader: reader, format: .document, chunkSize: 4_096)
        let rawZlib = read(bytes, reader: reader, format: .document, chunkSize: 4_096, zlibOnly: true)
        let rawWhole = read(bytes, reader: reader, format: .document, chunkSize: .max, whole: true)
        precondition(raw.events == rawZlib.events, "events differ between streamed members and zlib")
        precondition(raw.summary == rawZlib.summary, "summaries differ between streamed members and zlib")
        precondition(raw.events == rawWhole.events, "events differ between streaming and the whole-file decoders")
        // The input gzipped: valid gzip around arbitrary JSON, decoded all three ways.
        let compressed = GzipCompression.compress(bytes)
        let streamed = read(compressed, reader: reader, format: .document, chunkSize: 4_096)
        let zlib = read(compressed, reader: reader, format: .document, chunkSize: 4_096, zlibOnly: true)
        let wholeFile = read(compressed, reader: reader, format: .document, chunkSize: .max, whole: true)
        precondition(streamed.events == zlib.events, "events differ between streamed members and zlib")
        precondition(streamed.summary == zlib.summary, "summaries differ between streamed members and zlib")
        precondition(streamed.events == wholeFile.events, "events differ between zlib and the whole-file decoders")
        precondition(streamed.summary == wholeFile.summary, "summaries differ between zlib and the whole-file decoders")
    }

    private static func inventory(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for name in ["fuzz-report.csv", "fuzz-keys.json"] {
            var inventory = KeyInventory()
            try? inventory.add(text: text, path: name)
        }
        _ = (try? AWSIPRanges(text: text, path: "fuzz-ip-ranges.json"))?.contains("203.0.113.10")
    }

    private static func sigma(_ bytes: [UInt8]) {
        let report = SigmaLoader.load(texts: [("fuzz.yml", String(decoding: bytes, as: UTF8.self))])
        guard !report.rules.isEmpty else { return }
        var configuration = Configuration()
        configuration.sigma = report.rules
        let engine = EventRuleEngine(configuration: configuration)
        var limits = Self.limits
        limits.keepsRawRecords = report.rules.needsRawRecords
        let reader = LogFileReader(limits: limits)
        _ = reader.read(bytes: SampleRecords.document, format: .document) { engine.inspect($0) }
        _ = engine.finish().findings(configuration: configuration, knownAccounts: ["111122223333"])
    }

    /// What reading one input produced, comparable across code paths.
    private struct Reading {
        var events: [CloudTrailEvent] = []
        var summary = ScanSummary() {
            // A read that stops at an error has decompressed as far as its chunks happened to reach.
            didSet { if summary.error != nil { summary.bytesDecompressed = 0 } }
        }
    }

    private static func read(
        _ bytes: [UInt8], reader: LogFileReader, format: InputFormat, chunkSize: Int, whole: Bool = false,
        zlibOnly: Bool = false
    ) -> Reading {
        var reading = Reading()
        reading.summary = reader.read(
            bytes: bytes, format: format, chunkSize: chunkSize, whole: whole, zlibOnly: zlibOnly
        ) { view in
            reading.events.append(CloudTrailEvent(view))
            // What the rules do with the raw members: parse them as JSON.
            for field in [EventField.requestParameters, .responseElements, .additionalEventData] {
                _ = view.json(field)
            }
        }
        return reading
    }
}
