import Dispatch
import Foundation
import TrailAnalysis
import TrailIngest
import TrailModel
import TrailStore

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
        var files: [Checkpoint.File]
    }

    /// What reading some files produced, before the rules.
    struct Batch: Sendable {
        var stats: ScanStats
        var coverage: Coverage
        /// Per-key activity of the files read, sorted by key.
        var keys: [KeyActivity]
        var observations: EventObservations
        /// Every file read, for the state store's ledger.
        var files: [Checkpoint.File]
    }

    /// The files discovery found, the ones to read, and what was set aside.
    struct Plan: Sendable {
        var toRead: [InputFile]
        /// Discovery's counts and errors, and the files the decision set aside.
        var stats: ScanStats
        var ignoredExamples: [String]
    }

    /// What to do with a discovered file.
    enum FileDecision {
        case read
        /// Already in the state store's ledger, unchanged.
        case alreadyProcessed
        /// In the ledger with another size or modification time; the message says so.
        case changed(String)
    }

    /// Runs the scan.
    /// - Parameters:
    ///   - asOf: the reference time to report; nil for the newest event time in the data.
    ///   - progress: counters for a live progress line, updated as workers read.
    /// - Returns: the merged result; inputs that could not be read are in `stats.errors`.
    public func run(asOf: Int64? = nil, progress: ProgressCounters? = nil) async -> ScanResult {
        var timer = PhaseTimer()
        let plan = plan { files in files.map { _ in FileDecision.read } }
        timer.mark("discover \(plan.toRead.count) files")
        progress?.setPlan(files: plan.toRead.count, bytes: plan.toRead.reduce(0) { $0 + ($1.size ?? 0) })
        var batch = await read(plan.toRead, progress: progress)
        timer = PhaseTimer()
        batch.stats.merge(plan.stats)
        batch.stats.errors.sort()
        let reference = asOf ?? batch.coverage.lastEvent ?? Int64(Date().timeIntervalSince1970)
        // A run a signal stopped reports what its events showed, but not the key rules: "unused for 90 days" or
        // "rotated late" judged on part of the data would be wrong.
        let findings =
            batch.stats.interruptedBy != nil
            ? Self.ordered(Self.eventFindings(batch.observations, coverage: batch.coverage, options: options))
            : await Self.concurrentFindings(
                keys: batch.keys, observations: batch.observations, lifecycle: batch.observations.lifecycle,
                coverage: batch.coverage, asOf: reference, options: options, threads: options.jobs)
        timer.mark("rules (\(findings.count) findings)")
        // The per-principal windows are freed while the caller writes the output (moved out first, so that the
        // utility thread holds the last reference).
        var windows = EventObservations()
        swap(&windows, &batch.observations)
        Self.releaseInBackground(windows)
        return ScanResult(
            asOf: reference, asOfFromData: asOf == nil && batch.coverage.lastEvent != nil, stats: batch.stats,
            coverage: batch.coverage, keys: batch.keys, ignoredExamples: plan.ignoredExamples, findings: findings)
    }

    /// Discovers the inputs and decides whether to read them.
    /// - Parameter decide: given every file found, what to do with each, in the same order.
    func plan<Failure: Error>(decide: ([InputFile]) throws(Failure) -> [FileDecision]) throws(Failure) -> Plan {
        let discovery = LogSource(paths: options.paths, timeRange: options.timeRange).discover()
        var stats = ScanStats()
        var toRead: [InputFile] = []
        for (file, decision) in zip(discovery.files, try decide(discovery.files)) {
            switch decision {
            case .read: toRead.append(file)
            case .alreadyProcessed: stats.alreadyProcessed += 1
            case .changed(let message):
                stats.changedFiles += 1
                stats.errors.append(ScanStats.FileError(path: file.displayPath, message: message))
            }
        }
        stats.skippedFiles = discovery.skippedFiles
        stats.prunedFiles = discovery.prunedFiles
        stats.ignoredFiles = discovery.ignoredFiles
        stats.errors += discovery.errors.map { ScanStats.FileError(path: $0.path, message: $0.message) }
        return Plan(toRead: toRead, stats: stats, ignoredExamples: discovery.ignoredExamples)
    }

    /// Reads files on one worker per core and merges what the workers found.
    func read(_ files: [InputFile], progress: ProgressCounters?) async -> Batch {
        var timer = PhaseTimer()
        let workerCount = max(1, min(options.jobs, files.count))
        let queue = WorkQueue(files, workers: workerCount)
        let options = self.options
        let budget = options.maxMemoryBytes.map(MemoryBudget.init(limit:))
        // The cores --jobs allows beyond the workers (fewer inputs than jobs), and each worker's once it runs out of
        // files: streamed inputs decompress on them beside their scan.
        let cores = CoreBudget(cores: options.jobs - workerCount)
        var results = await WorkerThreads.run(count: workerCount) { worker in
            Self.work(worker, queue: queue, cores: cores, options: options, budget: budget, progress: progress)
        }
        timer.mark("scan \(files.count) files (\(workerCount) workers)")
        var stats = ScanStats()
        stats.memoryBudgetPassedAt = budget?.passedAt
        if let signalNumber = Interruption.signal {
            stats.interruptedBy = signalNumber
            stats.filesNotRead = queue.notHandedOut
        }
        var coverage = Coverage()
        var ledger: [Checkpoint.File] = []
        var parts: [EventObservations] = []
        for index in results.indices {
            stats.merge(results[index].stats)
            coverage.merge(results[index].coverage)
            ledger += results[index].files
            parts.append(results[index].observations)
            results[index].observations = EventObservations()
        }
        // The workers' observations (finding groups: thousands with a noisy Sigma rule) merge on a thread of their
        // own, beside the absorb and the free below, which leave a core idle part of the time; awaited before
        // finish(), so the workers' parts are freed before the key records are allocated.
        let handoff = Handoff(consume parts)
        let mergingObservations = BackgroundThread(name: "keytrail-observations") {
            EventObservations.merged(handoff.take())
        }
        // Merge on interned ids, then turn keys into strings once.
        let merged = results[0].aggregator
        for result in results.dropFirst() { merged.absorb(result.aggregator, threads: workerCount) }
        timer.mark("absorb")
        // The other workers' tables go now, before finish() allocates the key records, which then reuse their
        // memory. Kept until after it, or freed on another thread (which saved ~20 ms with two jobs), they raised
        // peak RSS by 30-50 MB, also with --state; freeing them in the background and waiting for it before
        // finish() slowed the merge beside it.
        results = []
        timer.mark("merge workers")
        let observations = await mergingObservations.value()
        timer.mark("merge observations")
        // On every thread --jobs allows, not only the workers': one input (stdin, one large file) has one worker.
        let keys = merged.finish(threads: options.jobs)
        timer.mark("resolve \(keys.count) keys")
        return Batch(
            stats: stats, coverage: coverage, keys: keys, observations: observations,
            files: ledger.sorted { $0.path < $1.path })
    }

    /// Drops `value` on a utility thread: freeing a large structure of many small allocations took tens of
    /// milliseconds of the thread the rest of the run waits on. The caller must hold no other reference to what
    /// should be freed there.
    static func releaseInBackground<Value>(_ value: consuming Value) {
        let held = UncheckedSendable(value)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(held) {} }
    }

    /// Scans inputs held in memory (tests, tools) through the same aggregation, rules and merge as files, with one
    /// worker.
    /// - Parameters:
    ///   - inputs: each a file's bytes (gzip or plain) and its layout.
    ///   - asOf: the reference time; nil for the newest event.
    public func run(inputs: [(bytes: [UInt8], format: InputFormat)], asOf: Int64? = nil) -> ScanResult {
        let reader = LogFileReader(limits: options.effectiveLimits)
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
        let observations = rules.finish()
        let findings = Self.findings(
            keys: keys, observations: observations, lifecycle: observations.lifecycle, coverage: coverage,
            asOf: reference, options: options)
        return ScanResult(
            asOf: reference, asOfFromData: asOf == nil, stats: stats, coverage: coverage, keys: keys,
            ignoredExamples: [], findings: findings)
    }

    /// The event, windowed and key rules' findings, most severe first.
    static func findings(
        keys: [KeyActivity], observations: EventObservations, lifecycle: [KeyLifecycleEvent], coverage: Coverage,
        asOf: Int64, options: ScanOptions, threads: Int = 1
    ) -> [Finding] {
        ordered(
            eventFindings(observations, coverage: coverage, options: options)
                + keyFindings(
                    keys: keys, lifecycle: lifecycle, coverage: coverage, asOf: asOf, options: options,
                    threads: threads))
    }

    /// ``findings(keys:observations:lifecycle:coverage:asOf:options:threads:)`` with the event findings made on a
    /// thread of their own while the key records are gathered for the key rules, when there are several threads:
    /// both take one thread for tens of milliseconds on a large scan.
    static func concurrentFindings(
        keys: [KeyActivity], observations: EventObservations, lifecycle: [KeyLifecycleEvent], coverage: Coverage,
        asOf: Int64, options: ScanOptions, threads: Int
    ) async -> [Finding] {
        guard threads > 1 else {
            return findings(
                keys: keys, observations: observations, lifecycle: lifecycle, coverage: coverage, asOf: asOf,
                options: options, threads: threads)
        }
        let eventRules = BackgroundThread(name: "keytrail-event-rules") {
            eventFindings(observations, coverage: coverage, options: options)
        }
        let keyFound = keyFindings(
            keys: keys, lifecycle: lifecycle, coverage: coverage, asOf: asOf, options: options, threads: threads)
        return ordered(await eventRules.value() + keyFound)
    }

    /// The event and windowed rules' findings.
    static func eventFindings(_ observations: EventObservations, coverage: Coverage, options: ScanOptions) -> [Finding]
    {
        let known = Set(coverage.accounts.keys).union(options.configuration.knownAccounts)
        return observations.findings(configuration: options.configuration, knownAccounts: known)
    }

    /// The key rules' findings (they judge long-term keys only; others may be left out of `keys`).
    static func keyFindings(
        keys: [KeyActivity], lifecycle: [KeyLifecycleEvent], coverage: Coverage, asOf: Int64, options: ScanOptions,
        threads: Int
    ) -> [Finding] {
        guard KeyRules.anyEnabled(options.configuration) else { return [] }
        let context = KeyRuleContext(
            keys: KnownKey.assemble(activities: keys, inventory: options.inventory, lifecycle: lifecycle),
            coverage: coverage, asOf: asOf, configuration: options.configuration, awsRanges: options.awsRanges)
        return KeyRules.evaluate(context, threads: threads)
    }

    /// Findings in report order: most severe first, then by rule, first seen and id.
    static func ordered(_ findings: [Finding]) -> [Finding] {
        // Sort positions, then gather: findings are large structs, cheaper to move once; the comparison reads them
        // in place, as copying one would retain each of its parts.
        findings.withUnsafeBufferPointer { findings in
            let order = findings.indices.sorted { a, b in
                let x = findings.baseAddress! + a
                let y = findings.baseAddress! + b
                if x.pointee.severity != y.pointee.severity { return x.pointee.severity > y.pointee.severity }
                if x.pointee.rule != y.pointee.rule { return x.pointee.rule < y.pointee.rule }
                let (first, other) = (x.pointee.firstSeen ?? 0, y.pointee.firstSeen ?? 0)
                if first != other { return first < other }
                return x.pointee.id < y.pointee.id
            }
            return order.map { findings[$0] }
        }
    }

    /// One worker (number `worker`): pulls files until the queue is empty.
    private static func work(
        _ worker: Int, queue: WorkQueue, cores: CoreBudget, options: ScanOptions, budget: MemoryBudget?,
        progress: ProgressCounters?
    ) -> WorkerResult {
        let reader = LogFileReader(limits: options.effectiveLimits, progress: progress, cores: cores)
        let aggregator = KeyAggregator(valueCap: options.valueCap)
        // The key's table slot loads while the rest of its record is parsed.
        reader.keyHint = { aggregator.prefetchKey($0, count: $1) }
        let rules = EventRuleEngine(configuration: options.configuration)
        let coverage = CoverageTracker()
        let range = options.timeRange
        var stats = ScanStats()
        var outsideRange = 0
        var files: [Checkpoint.File] = []
        while let file = queue.next(worker: worker) {
            let report = reader.read(file) { event in
                guard range.contains(event.eventTime) else {
                    outsideRange += 1
                    return
                }
                // The key's record loads while the rules look at the event.
                let found = aggregator.lookUp(event)
                rules.inspect(event)
                coverage.add(event)
                aggregator.add(event, with: found)
            }
            stats.add(report)
            if let budget, !aggregator.hasShed, budget.isPassed() {
                aggregator.shed(toValues: MemoryBudget.valuesAfterShedding)
            }
            if case .path(let path) = file.location, report.summary.error?.kind != .cannotOpen {
                files.append(
                    Checkpoint.File(
                        path: path, size: file.size, modificationTime: file.modificationTime,
                        records: report.summary.records, invalidRecords: report.summary.invalidRecords,
                        error: report.summary.error?.message))
            }
        }
        // Out of files: this worker's core can decompress a stream another worker is still scanning.
        cores.release()
        stats.recordsOutsideRange = outsideRange
        stats.recordsWithoutAccessKey = aggregator.recordsWithoutAccessKey
        return WorkerResult(
            aggregator: aggregator, stats: stats, coverage: coverage.finish(), observations: rules.finish(),
            files: files)
    }
}
