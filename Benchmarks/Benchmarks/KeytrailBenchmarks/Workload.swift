import Benchmark
import Foundation
import TrailAnalysis
import TrailIngest
import TrailSigma

/// The files every benchmark reads, held in memory: up to `KEYTRAIL_BENCH_MEGABYTES` (default 32) MB of JSON from
/// the gzip logs under `KEYTRAIL_BENCH_CORPUS` (default `corpus-micro`, written by `Scripts/benchmark.sh` with
/// `generate-corpus.py`), both compressed and decompressed.
final class Workload: @unchecked Sendable {
    static let shared = Workload()

    /// Seconds each benchmark runs (`KEYTRAIL_BENCH_SECONDS`, default 3; CI uses 1).
    static let seconds = Int(ProcessInfo.processInfo.environment["KEYTRAIL_BENCH_SECONDS"] ?? "") ?? 3

    /// Records per second (thousands), over the iteration's wall time.
    static let eventsPerSecond = BenchmarkMetric.custom(
        "events/s (K)", polarity: .prefersLarger, useScalingFactor: false)

    /// Uncompressed JSON per second, over the iteration's wall time.
    static let megabytesPerSecond = BenchmarkMetric.custom(
        "MB/s of JSON", polarity: .prefersLarger, useScalingFactor: false)

    let compressed: [[UInt8]]
    let documents: [[UInt8]]
    let jsonBytes: Int
    /// Records in the workload.
    let records: Int
    let reader = LogFileReader()
    let sigmaReader: LogFileReader
    let sigmaConfiguration: Configuration
    /// A buffer for inflate loops, as large as the largest file.
    let scratch: UnsafeMutableRawBufferPointer

    private init() {
        let environment = ProcessInfo.processInfo.environment
        let folder = environment["KEYTRAIL_BENCH_CORPUS"] ?? "corpus-micro"
        let budget = (Int(environment["KEYTRAIL_BENCH_MEGABYTES"] ?? "") ?? 32) << 20
        let paths = LogSource(paths: [folder]).discover().files.compactMap { file -> String? in
            if case .path(let path) = file.location, path.hasSuffix(".json.gz") { return path }
            return nil
        }
        precondition(
            !paths.isEmpty,
            "no .json.gz logs under \(folder): run Scripts/benchmark.sh (it writes the corpus) or set KEYTRAIL_BENCH_CORPUS"
        )
        var compressed: [[UInt8]] = []
        var documents: [[UInt8]] = []
        var total = 0
        var largest = 0
        for path in paths where total < budget {
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            let document = Inflate.document(bytes)
            compressed.append(bytes)
            documents.append(document)
            total += document.count
            largest = max(largest, document.count)
        }
        self.compressed = compressed
        self.documents = documents
        jsonBytes = total
        let counter = LogFileReader()
        records = documents.reduce(0) { $0 + counter.read(bytes: $1) { _ in }.records }
        scratch = .allocate(byteCount: largest + 1 << 16, alignment: 16)
        let rulesFolder = environment["KEYTRAIL_BENCH_RULES"] ?? "../Tests/Fixtures/sigma"
        let report = SigmaLoader.load(paths: [rulesFolder])
        precondition(report.errors.isEmpty && !report.rules.isEmpty, "Sigma rules did not load from \(rulesFolder)")
        var configuration = Configuration()
        configuration.sigma = report.rules
        sigmaConfiguration = configuration
        var limits = ScanLimits.default
        limits.keepsRawRecords = report.rules.needsRawRecords
        sigmaReader = LogFileReader(limits: limits)
    }

    /// One iteration of scanning every document into the event rules of `configuration`.
    static func scanWithRules(_ benchmark: Benchmark, _ configuration: Configuration, reader: LogFileReader) {
        let rules = EventRuleEngine(configuration: configuration)
        let start = ContinuousClock.now
        for document in shared.documents {
            _ = reader.read(bytes: document) { rules.inspect($0) }
        }
        blackHole(rules.finish())
        report(benchmark, since: start)
    }

    /// Records the iteration's throughput.
    static func report(_ benchmark: Benchmark, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        benchmark.measurement(megabytesPerSecond, Int(Double(shared.jsonBytes) / 1e6 / max(seconds, 1e-9)))
        benchmark.measurement(eventsPerSecond, Int(Double(shared.records) / 1e3 / max(seconds, 1e-9)))
    }
}
