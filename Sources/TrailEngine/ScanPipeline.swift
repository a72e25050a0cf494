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
        var observations: EventObservations
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
        var observations = EventObservations()
        for result in results {
            stats.merge(result.stats)
            coverage.merge(result.coverage)
            observations.merge(result.observations)
        }
        // Merge on interned ids, then turn keys into strings once.
        let merged = results[0].aggregator
        for result in results.dropFirst() { merged.absorb(result.aggregator) }
        timer.mark("merge workers")
        stats.errors.sort()
        let keys = merged.finish(threads: workerCount)
        timer.mark("resolve \(keys.count) keys")
        let reference = asOf ?? coverage.lastEvent ?? Int64(Date().timeIntervalSince1970)
        let findings = Self.findings(
            keys: keys, observations: observations, coverage: coverage, asOf: reference, options: options,
            threads: workerCount)
        timer.mark("rules (\(findings.count) findings)")
        return ScanResult(
            asOf: reference, asOfFromData: asOf == nil && coverage.lastEvent != nil, stats: stats,
            coverage: coverage, keys: keys, ignoredExamples: discovery.ignoredExamples, findings: findings)
    }

    /// Scans inputs held in memory (tests, tools) through the same aggregation, rules and merge as files, with one
    /// worker.
    /// - Parameters:
    ///   - inputs: each a file's bytes (gzip or plain) and its layout.
    ///   - asOf: the reference time; nil for the newest event.
    public func run(inputs: [(bytes: [UInt8], format: InputFormat)], asOf: Int64? = nil) -> ScanResult {
        let reader = LogFileReader(limits: options.limits)
        let aggregator = KeyAggregator(valueCap: options.valueCap)
        let rules = EventRuleEngine(configuration: options.configuration)
        let tracker = CoverageTracker()
        let range = options.timeRange
        var stats = ScanStats()
        for (index, input) in inputs.enumerated() {
            let summary = reader.read(bytes: input.bytes, name: "input \(index + 1)", format: input.format) { event in
                guard range.contains(event.eventTime) else { return }
                aggregator.add(event)
                rules.inspect(event)
                tracker.add(event)
            }
            stats.files += 1
            stats.records += summary.records
            stats.invalidRecords += summary.invalidRecords
        }
        let coverage = tracker.finish()
        let keys = aggregator.finish()
        let reference = asOf ?? coverage.lastEvent ?? 0
        let findings = Self.findings(
            keys: keys, observations: rules.finish(), coverage: coverage, asOf: reference, options: options)
        return ScanResult(
            asOf: reference, asOfFromData: asOf == nil, stats: stats, coverage: coverage, keys: keys,
            ignoredExamples: [], findings: findings)
    }

    /// The event, windowed and key rules' findings, most severe first.
    static func findings(
        keys: [KeyActivity], observations: EventObservations, coverage: Coverage, asOf: Int64, options: ScanOptions,
        threads: Int = 1
    ) -> [Finding] {
        let known = Set(coverage.accounts.keys).union(options.configuration.knownAccounts)
        var findings = observations.findings(configuration: options.configuration, knownAccounts: known)
        if KeyRules.anyEnabled(options.configuration) {
            let context = KeyRuleContext(
                keys: KnownKey.assemble(
                    activities: keys, inventory: options.inventory, lifecycle: observations.lifecycle),
                coverage: coverage, asOf: asOf, configuration: options.configuration, awsRanges: options.awsRanges)
            findings += KeyRules.evaluate(context, threads: threads)
        }
        // Sort positions, then gather: findings are large structs, cheaper to move once.
        let order = findings.indices.sorted { a, b in
            let x = findings[a]
            let y = findings[b]
            if x.severity != y.severity { return x.severity > y.severity }
            if x.rule != y.rule { return x.rule < y.rule }
            if (x.firstSeen ?? 0) != (y.firstSeen ?? 0) { return (x.firstSeen ?? 0) < (y.firstSeen ?? 0) }
            return x.id < y.id
        }
        return order.map { findings[$0] }
    }

    /// One worker: pulls files until the queue is empty.
    private static func work(queue: WorkQueue, options: ScanOptions, progress: ProgressCounters?) -> WorkerResult {
        let reader = LogFileReader(limits: options.limits, progress: progress)
        let aggregator = KeyAggregator(valueCap: options.valueCap)
        let rules = EventRuleEngine(configuration: options.configuration)
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
                rules.inspect(event)
                coverage.add(event)
            }
            stats.add(report)
        }
        stats.recordsOutsideRange = outsideRange
        stats.recordsWithoutAccessKey = aggregator.recordsWithoutAccessKey
        return WorkerResult(
            aggregator: aggregator, stats: stats, coverage: coverage.finish(), observations: rules.finish())
    }
}
