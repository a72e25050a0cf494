import Foundation
import TrailAnalysis
import TrailIngest
import TrailModel
import TrailStore

/// A scan run against a state store. It holds the store's run lock until the caller has delivered the findings
/// (``delivered(_:)``) or given up (``abandon(_:)``), so no other scan emits the same findings meanwhile.
///
/// The run's last checkpoint may still be committing when the scan is returned (it runs while the caller writes the
/// output); ``delivered(_:)`` waits for it before marking anything emitted.
public final class StatefulScan: @unchecked Sendable {
    /// What this run read and what it emits: `findings` holds only the findings that are new, escalated, due again,
    /// or left undelivered by an earlier run.
    public let result: ScanResult
    /// The store, still open and locked.
    public let store: StateStore
    private let runID: Int64
    private let lock: RunLock
    private let lastCommit: BackgroundThread<Result<Void, StoreError>>
    private let clock: @Sendable () -> Int64

    init(
        result: ScanResult, store: StateStore, runID: Int64, lock: RunLock,
        lastCommit: BackgroundThread<Result<Void, StoreError>>, clock: @escaping @Sendable () -> Int64
    ) {
        self.result = result
        self.store = store
        self.runID = runID
        self.lock = lock
        self.lastCommit = lastCommit
        self.clock = clock
    }

    /// Waits for the run's last checkpoint to be committed.
    /// - Throws: ``StoreError`` if the commit failed (the files are then read again by the next run).
    public func committed() async throws(StoreError) {
        try await lastCommit.value().get()
    }

    /// Records that `findings` reached their destination: they become `open` and are not emitted again unless they
    /// escalate or `--realert-after` passes. Ends the run.
    public func delivered(_ findings: [Finding]) async throws(StoreError) {
        try await committed()
        try store.markEmitted(findings.map(\.id), now: clock())
        try store.finishRun(
            runID, status: "completed", files: result.stats.files, records: result.stats.records,
            emitted: findings.count, now: clock())
    }

    /// Ends the run without marking findings delivered: they stay pending and the next run emits them.
    public func abandon(_ reason: String) async throws(StoreError) {
        try await committed()
        try store.finishRun(
            runID, status: "undelivered: \(reason)", files: result.stats.files, records: result.stats.records,
            emitted: 0, now: clock())
    }
}

extension ScanPipeline {
    /// Runs the scan against a state store: reads only files the ledger does not have, merges their activity into
    /// each key's history, runs the key rules over the whole history, and stages findings in the alert ledger.
    ///
    /// Files are read in checkpoints of about `state.checkpointBytes`; each checkpoint commits the files' ledger rows
    /// with everything learned from them in one transaction, so a run killed at any point, then run again, counts
    /// every record exactly once.
    /// - Parameters:
    ///   - state: the store and how to use it.
    ///   - asOf: the reference time; nil for the newest event in the store's history.
    ///   - progress: counters for a live progress line.
    ///   - clock: the time to record in the ledgers (seconds since the epoch).
    /// - Throws: ``StoreError`` when the store cannot be opened, is busy past the wait, or a commit fails.
    public func run(
        state: StateOptions, asOf: Int64? = nil, progress: ProgressCounters? = nil,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) async throws(StoreError) -> StatefulScan {
        var timer = PhaseTimer()
        let lock = try RunLock(store: state.path, wait: state.wait)
        let store = try StateStore.open(path: state.path)
        let runID = try store.beginRun(version: ScanPipeline.version, now: clock())
        // What earlier runs left in the write-ahead log goes into the database file while this run reads, rather
        // than in one of its commits. Failing (a reader holding old pages) loses nothing: the next run copies them.
        let checkpointing = BackgroundThread(name: "keytrail-checkpoint") { try? store.checkpoint() }
        var ledgerPaths = LedgerPath()
        let ledgerBefore = try store.ledgerCount()
        var rereading = 0
        let plan = try plan { files throws(StoreError) in
            let entries = try store.ledgerEntries(for: files.map { Self.ledgerName($0, &ledgerPaths) ?? "" })
            return zip(files, entries).map { file, entry in
                let decision = Self.decide(file, entry: entry, reprocessChanged: state.reprocessChanged)
                if case .read = decision, entry != nil { rereading += 1 }
                return decision
            }
        }
        var history = StoredHistory(
            stored: try store.storedKeys(threads: options.jobs), lifecycle: try store.lifecycle(),
            coverage: try store.coverage())
        timer.mark("load state (\(history.keyCount) keys) and decide on \(plan.toRead.count) files")

        progress?.setPlan(files: plan.toRead.count, bytes: plan.toRead.reduce(0) { $0 + ($1.size ?? 0) })
        var stats = plan.stats
        var observations = EventObservations()
        // Encoding and the key rules use every thread --jobs allows, as the scan's resolving does.
        let threads = options.jobs
        var eventFindings: [Finding] = []
        var ledgerRows = 0
        var committing: BackgroundThread<Result<Void, StoreError>>?
        var last: (checkpoint: Checkpoint, buckets: BackgroundThread<[KeyBucket.Encoded]>)?
        let groups = Self.checkpoints(plan.toRead, bytes: state.checkpointBytes)
        for (position, files) in groups.enumerated() {
            let batch = await read(files, progress: progress)
            // Commits go in order: the previous one ran while this batch was read.
            try await committing?.value().get()
            stats.merge(batch.stats)
            observations.merge(batch.observations)
            let touched = history.add(batch)
            // Encoded on threads of their own from here, beside the event rules and the key rules: the buckets need
            // only the merged keys.
            let encoding = Self.encode(history.keys, touched, threads: threads)
            eventFindings = Self.eventFindings(observations, coverage: history.coverage, options: options)
            // What these files showed commits with them, event findings included, so a run killed after this
            // checkpoint neither reads them again nor loses their alerts.
            let checkpoint = Checkpoint(
                files: batch.files.map { file in
                    var row = file
                    row.path = ledgerPaths.canonical(file.path)
                    return row
                }, lifecycle: batch.observations.lifecycle, coverage: batch.coverage, findings: eventFindings,
                realertAfter: state.realertAfter)
            ledgerRows += checkpoint.files.count
            timer.mark("read \(files.count) files into the history")
            if position == groups.count - 1 || Interruption.isRequested {
                // A signal makes this checkpoint the last: what was read commits, the rest waits for the next run.
                stats.filesNotRead += groups[(position + 1)...].reduce(0) { $0 + $1.count }
                stats.interruptedBy = stats.interruptedBy ?? Interruption.signal
                // Committed once the findings are known.
                last = (checkpoint, encoding)
                break
            } else {
                // Encoding and committing run beside the next batch's reading.
                committing = Self.commit(checkpoint, buckets: encoding, store: store, run: runID, now: clock())
            }
        }
        try await committing?.value().get()
        _ = await checkpointing.value()
        stats.errors.sort()

        let reference = asOf ?? history.coverage.lastEvent ?? clock()
        // Held sorted, for the output and (long-term keys) the key rules.
        let keys = history.keys
        // Key rules judge a key's whole history; a run a signal stopped leaves them to the next run.
        // (KnownKey.assemble takes the long-term keys out in place: filtering here copied each of them first.)
        let keyFindings =
            (stats.interruptedBy != nil
                ? []
                : Self.keyFindings(
                    keys: keys, lifecycle: history.lifecycle, coverage: history.coverage, asOf: reference,
                    options: options, threads: threads))
            + NewNetworkRule.evaluate(history.changes, configuration: options.configuration)
        let all = eventFindings + keyFindings
        timer.mark("key rules over \(keys.count) keys (\(keyFindings.count) findings)")

        // Decide what to emit from the ledger as it stands (this run holds the lock, so only a person's suppress or
        // resolve could change it meanwhile), then commit the last checkpoint with every finding while the caller
        // writes the output.
        let now = clock()
        let states = try store.alertStates()
        let found = Set(all.map(\.id))
        let leftovers = Set(states.filter { $0.value.status == .pending && !found.contains($0.key) }.keys)
        let pending = Self.ordered(
            all.filter {
                AlertState.next(states[$0.id], finding: $0, now: now, realertAfter: state.realertAfter) == .pending
            }
                + (try store.findings(ids: leftovers)))
        // With no files to read, the checkpoint holds only the findings.
        var lastCheckpoint = last?.checkpoint ?? Checkpoint(realertAfter: state.realertAfter)
        lastCheckpoint.findings = all
        let lastCommit = Self.commit(lastCheckpoint, buckets: last?.buckets, store: store, run: runID, now: now)
        var held: [AlertStatus: Int] = [:]
        for finding in all {
            if let status = states[finding.id]?.status, status == .open || status == .suppressed,
                AlertState.next(states[finding.id], finding: finding, now: now, realertAfter: state.realertAfter)
                    == status
            {
                held[status, default: 0] += 1
            }
        }
        timer.mark("alert decisions (\(pending.count) to emit)")

        var result = ScanResult(
            asOf: reference, asOfFromData: asOf == nil && history.coverage.lastEvent != nil, stats: stats,
            coverage: history.coverage, keys: keys, ignoredExamples: plan.ignoredExamples, findings: pending)
        result.state = StateSummary(
            path: state.path, filesInLedger: ledgerBefore + ledgerRows - rereading,
            keysInHistory: keys.count, alreadyReported: held[.open] ?? 0, suppressed: held[.suppressed] ?? 0)
        return StatefulScan(
            result: result, store: store, runID: runID, lock: lock, lastCommit: lastCommit, clock: clock)
    }

    /// Encodes the touched key buckets of `keys` on a thread of its own.
    private static func encode(
        _ keys: [KeyActivity], _ touched: StoredHistory.Touched, threads: Int
    ) -> BackgroundThread<[KeyBucket.Encoded]> {
        BackgroundThread(name: "keytrail-encode") {
            var timer = PhaseTimer()
            let buckets = KeyBucket.encode(keys, buckets: touched, threads: threads)
            timer.mark("(encode thread) encode \(buckets.count) key buckets")
            return buckets
        }
    }

    /// Commits a checkpoint with its key buckets (if any) on a thread of its own: the checkpoint's files, findings
    /// and coverage are written while the buckets are still being encoded, the buckets once they are.
    private static func commit(
        _ checkpoint: Checkpoint, buckets: BackgroundThread<[KeyBucket.Encoded]>?, store: StateStore, run: Int64,
        now: Int64
    ) -> BackgroundThread<Result<Void, StoreError>> {
        BackgroundThread(name: "keytrail-commit") {
            var timer = PhaseTimer()
            let result = Result { () throws(StoreError) in
                try store.commit(checkpoint, run: run, now: now) {
                    timer.mark(
                        "(commit thread) stage \(checkpoint.files.count) files, \(checkpoint.findings.count) findings")
                    let encoded = buckets?.wait() ?? []
                    timer.mark("(commit thread) wait for the key buckets")
                    return encoded
                }
            }
            timer.mark("(commit thread) write the key buckets and commit")
            return result
        }
    }

    /// The version recorded with each run.
    public static let version = "0.1.0"

    private func knownAccounts(_ coverage: Coverage) -> Set<String> {
        Set(coverage.accounts.keys).union(options.configuration.knownAccounts)
    }

    /// A file's name in the ledger; nil for inputs with no identity to remember (standard input, FIFOs), which are
    /// always read.
    static func ledgerName(_ file: InputFile, _ paths: inout LedgerPath) -> String? {
        guard case .path(let path) = file.location, file.size != nil else { return nil }
        return paths.canonical(path)
    }

    /// Whether to read a file, given what the ledger has for it.
    static func decide(_ file: InputFile, entry: StateStore.LedgerEntry?, reprocessChanged: Bool) -> FileDecision {
        guard let entry, file.size != nil, case .path = file.location else { return .read }
        if entry.size == file.size && entry.modificationTime == file.modificationTime { return .alreadyProcessed }
        if reprocessChanged { return .read }
        var change: [String] = []
        if entry.size != file.size { change.append("size \(entry.size.map(String.init) ?? "?") → \(file.size!) bytes") }
        if entry.modificationTime != file.modificationTime { change.append("modification time") }
        return .changed(
            "changed since keytrail read it on \(Timestamp.format(entry.readAt)) (\(change.joined(separator: ", "))); "
                + "not read, because what it added then cannot be taken out. CloudTrail never rewrites a log file, "
                + "so check who changed it; --reprocess-changed reads it again and adds its records")
    }

    /// Splits files into consecutive groups of about `bytes` stored bytes, in the order the work queue reads them.
    static func checkpoints(_ files: [InputFile], bytes: Int64) -> [[InputFile]] {
        guard !files.isEmpty else { return [] }
        var groups: [[InputFile]] = []
        var current: [InputFile] = []
        var size: Int64 = 0
        for file in WorkQueue.ordered(files) {
            current.append(file)
            size += file.size ?? 0
            if size >= bytes {
                groups.append(current)
                current = []
                size = 0
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
