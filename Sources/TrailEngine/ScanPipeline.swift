import Foundation
import TrailAnalysis
import TrailIngest
import TrailModel

/// Wires a scan together: discovery, a queue of files, one worker per core (each with its own reader, scanner and
/// aggregator), and the associative merge of their results.
public struct ScanPipeline: Sendable {
    /// What to read and how.
    public var options: ScanOptions

    /// Creates a pipeline.
    public init(options: ScanOptions) { self.options = options }

    /// What one worker produced.
    struct WorkerResult: Sendable {
        var aggregator: KeyAggregator
        var stats: ScanStats
        var coverage: Coverage
    }

    /// Runs the scan.
    /// - Parameters:
    ///   - asOf: the reference time to report; nil for the newest event time in the data.
    ///   - progress: counters for a live progress line, updated as workers read.
    /// - Returns: the merged result; inputs that could not be read are in `stats.errors`.
    public func run(asOf: Int64? = nil, progress: ProgressCounters? = nil) async -> ScanResult {
        var timer = PhaseTimer()
        let discovery = LogSource(paths: options.paths, timeRange: options.timeRange).discover()
        let queue = WorkQueue(discovery.files)
        progress?.setPlan(files: queue.count, bytes: queue.totalBytes)
        let workerCount = max(1, min(options.jobs, queue.count))
        let options = self.options
        let results = await WorkerThreads.run(count: workerCount) { _ in
            Self.work(queue: queue, options: options, progress: progress)
        }
        timer.mark("discover and scan (\(workerCount) workers)")

        var stats = ScanStats()
        stats.skippedFiles = discovery.skippedFiles
        stats.prunedFiles = discovery.prunedFiles
        stats.ignoredFiles = discovery.ignoredFiles
        stats.errors = discovery.errors.map { ScanStats.FileError(path: $0.path, message: $0.message) }
        var coverage = Coverage()
        for result in results {
            stats.merge(result.stats)
            coverage.merge(result.coverage)
        }
        // Merge on interned ids, then turn keys into strings once.
        let merged = results[0].aggregator
        for result in results.dropFirst() { merged.absorb(result.aggregator) }
        timer.mark("merge workers")
        stats.errors.sort()
        let keys = merged.finish(threads: workerCount)
        timer.mark("resolve \(keys.count) keys")
        let reference = asOf ?? coverage.lastEvent ?? Int64(Date().timeIntervalSince1970)
        return ScanResult(
            asOf: reference, asOfFromData: asOf == nil && coverage.lastEvent != nil, stats: stats,
            coverage: coverage, keys: keys, ignoredExamples: discovery.ignoredExamples)
    }

    /// One worker: pulls files until the queue is empty.
    private static func work(queue: WorkQueue, options: ScanOptions, progress: ProgressCounters?) -> WorkerResult {
        let reader = LogFileReader(limits: options.limits, progress: progress)
        let aggregator = KeyAggregator(valueCap: options.valueCap)
        let coverage = CoverageTracker()
        let range = options.timeRange
        var stats = ScanStats()
        var outsideRange = 0
        while let file = queue.next() {
            let report = reader.read(file) { event in
                guard range.contains(event.eventTime) else {
                    outsideRange += 1
                    return
                }
                aggregator.add(event)
                coverage.add(event)
            }
            stats.add(report)
        }
        stats.recordsOutsideRange = outsideRange
        stats.recordsWithoutAccessKey = aggregator.recordsWithoutAccessKey
        return WorkerResult(aggregator: aggregator, stats: stats, coverage: coverage.finish())
    }
}
