import Foundation
import Testing
import TrailAnalysis
import TrailEngine
import TrailModel
import TrailStore
import TrailTestSupport

/// Runs a scan against `store` as `keytrail scan --state` does, delivering what it emits.
func statefulScan(
    _ paths: [String], store: String, asOf: String? = nil, jobs: Int = 2,
    configuration: Configuration = Configuration(),
    configure: (inout StateOptions) -> Void = { _ in }
) async throws -> ScanResult {
    var state = StateOptions(path: store)
    configure(&state)
    let pipeline = ScanPipeline(options: ScanOptions(paths: paths, jobs: jobs, configuration: configuration))
    let scan = try await pipeline.run(state: state, asOf: asOf.flatMap { Timestamp.parse($0) })
    try await scan.delivered(scan.result.findings)
    return scan.result
}

/// A day's log file of `count` calls by `key` from `address`.
@discardableResult
func addDay(
    _ archive: ArchiveBuilder, _ day: String, key: String, user: String, address: String = "203.0.113.10",
    count: Int = 3, region: String = "us-east-1", eventID: String? = nil
) -> String {
    let records = (0..<count).map { index in
        RecordBuilder {
            $0.eventTime = "\(day)T1\(index % 10):00:00Z"
            $0.accessKeyId = key
            $0.userName = user
            $0.arn = "arn:aws:iam::111122223333:user/\(user)"
            $0.sourceIPAddress = address
            $0.awsRegion = region
            $0.eventID = eventID ?? "\(key)-\(day)-\(index)"
        }
    }
    return archive.addLog(records, region: region, delivered: "\(day)T23:55:00Z", unique: key)
}

@Suite("Stateful scans: incremental runs, exact history, alerts emitted once")
struct StatefulScanTests {
    static func store() -> String { Fixtures.temporaryFolder("state") + "/state.db" }

    @Test("a run's writes stay in the write-ahead log; the next run copies them into the file while it reads")
    func checkpointAtTheNextRun() async throws {
        let archive = ScanPipelineTests.archive()
        let store = Self.store()
        // Another connection kept open, as a second keytrail command would: the scan's closing is then not the
        // last one, which would checkpoint.
        let other = try StateStore.open(path: store)
        _ = try await statefulScan([archive.root], store: store)
        let fileAlone = { () throws -> Int in
            let copy = Fixtures.temporaryFolder("state-copy") + "/alone.db"
            try FileManager.default.copyItem(atPath: store, toPath: copy)
            return try StateStore.open(path: copy).ledgerTotals().files
        }
        #expect(try fileAlone() == 0)
        #expect(try other.ledgerTotals().files == 12)
        _ = try await statefulScan([archive.root], store: store)
        #expect(try fileAlone() == 12)
    }

    @Test("a second run reads nothing; a new file is the only one read; history equals one scan of everything")
    func incremental() async throws {
        let archive = ScanPipelineTests.archive()
        let store = Self.store()
        let first = try await statefulScan([archive.root], store: store)
        #expect(first.stats.files == 12)
        #expect(first.stats.records == 480)
        #expect(first.stats.alreadyProcessed == 0)

        let second = try await statefulScan([archive.root], store: store)
        #expect(second.stats.files == 0)
        #expect(second.stats.records == 0)
        #expect(second.stats.alreadyProcessed == 12)
        #expect(second.findings.isEmpty)
        #expect(second.keys == first.keys)

        let added = addDay(archive, "2026-11-07", key: "AKIATESTKEY00000003", user: "user3", count: 5)
        let third = try await statefulScan([archive.root], store: store)
        #expect(third.stats.files == 1)
        #expect(third.stats.records == 5)
        #expect(third.stats.alreadyProcessed == 12)
        #expect(third.state?.filesInLedger == 13)
        #expect(third.coverage.lastEvent == Timestamp.parse("2026-11-07T14:00:00Z"))

        let everything = await ScanPipeline(options: ScanOptions(paths: [archive.root])).run()
        #expect(third.keys == everything.keys)
        #expect(try StateStore.open(path: store).keys() == everything.keys)
        #expect(FileManager.default.fileExists(atPath: added))
    }

    @Test("checkpoints of one file each leave the same history as one commit, with every file in the ledger")
    func smallCheckpoints() async throws {
        let archive = ScanPipelineTests.archive()
        let store = Self.store()
        let result = try await statefulScan([archive.root], store: store) { $0.checkpointBytes = 1 }
        let everything = await ScanPipeline(options: ScanOptions(paths: [archive.root])).run()
        #expect(result.keys == everything.keys)
        let info = try StateStore.open(path: store).info()
        #expect(info.files == 12)
        #expect(info.keys == 7)
    }

    @Test("the same files through another path (relative, or through a symbolic link) are already processed")
    func canonicalPaths() async throws {
        let archive = ScanPipelineTests.archive()
        let store = Self.store()
        _ = try await statefulScan([archive.root], store: store)
        let link = Fixtures.temporaryFolder("link") + "/logs"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: archive.root)
        let again = try await statefulScan([link + "/AWSLogs"], store: store)
        #expect(again.stats.files == 0)
        #expect(again.stats.alreadyProcessed == 12)
    }

    @Test("a changed file is reported and not read; --reprocess-changed reads it")
    func changedFile() async throws {
        let archive = ArchiveBuilder()
        let path = addDay(archive, "2026-11-01", key: "AKIATESTKEY00000001", user: "alice", count: 2)
        let store = Self.store()
        _ = try await statefulScan([archive.root], store: store)
        addDay(archive, "2026-11-01", key: "AKIATESTKEY00000001", user: "alice", count: 4)

        let skipped = try await statefulScan([archive.root], store: store)
        #expect(skipped.stats.files == 0)
        #expect(skipped.stats.changedFiles == 1)
        let error = try #require(skipped.stats.errors.first)
        #expect(error.path == path)
        #expect(error.message.contains("changed since keytrail read it"))
        #expect(error.message.contains("--reprocess-changed"))
        #expect(skipped.keys.first?.events == 2)

        let reread = try await statefulScan([archive.root], store: store) { $0.reprocessChanged = true }
        #expect(reread.stats.files == 1)
        #expect(reread.stats.changedFiles == 0)
        #expect(reread.keys.first?.events == 6)
        let after = try await statefulScan([archive.root], store: store)
        #expect(after.stats.alreadyProcessed == 1)
        #expect(after.stats.errors.isEmpty)
    }

    @Test("unused-access-key from history: a key last used in the first run is unused 100 days later")
    func unusedAcrossRuns() async throws {
        let june = ArchiveBuilder()
        addDay(june, "2026-06-01", key: "AKIAQUIETKEY00000001", user: "quiet")
        addDay(june, "2026-06-01", key: "AKIABUSYKEY000000001", user: "busy", address: "198.51.100.4")
        let store = Self.store()
        let first = try await statefulScan([june.root], store: store)
        #expect(!first.findings.contains { $0.rule == "unused-access-key" })

        // A hundred days later the nightly run sees only the new day's logs.
        let september = ArchiveBuilder()
        addDay(september, "2026-09-09", key: "AKIABUSYKEY000000001", user: "busy", address: "198.51.100.4")
        let later = try await statefulScan([september.root], store: store)
        let finding = try #require(later.findings.first { $0.rule == "unused-access-key" })
        #expect(finding.accessKeyId == "AKIAQUIETKEY00000001")
        #expect(finding.evidence["daysUnused"]?.integerValue == 100)
        // The store's coverage spans both runs, so the window note is about regions only.
        #expect(later.coverage.firstEvent == Timestamp.parse("2026-06-01T10:00:00Z"))

        // Without the store, the September logs alone know nothing of the quiet key.
        let alone = await ScanPipeline(options: ScanOptions(paths: [september.root])).run()
        #expect(!alone.findings.contains { $0.accessKeyId == "AKIAQUIETKEY00000001" })

        // Found again the next night, it is already reported.
        addDay(september, "2026-09-10", key: "AKIABUSYKEY000000001", user: "busy", address: "198.51.100.4")
        let next = try await statefulScan([september.root], store: store)
        #expect(!next.findings.contains { $0.rule == "unused-access-key" })
        #expect(next.state?.alreadyReported ?? 0 >= 1)
    }

    @Test("event findings are emitted by the run that reads their event, not again")
    func eventFindingsOnce() async throws {
        let archive = ArchiveBuilder()
        let root = RecordBuilder {
            $0.eventTime = "2026-11-02T10:00:00Z"
            $0.identityType = "Root"
            $0.arn = "arn:aws:iam::111122223333:root"
            $0.userName = nil
            $0.eventSource = "iam.amazonaws.com"
            $0.eventName = "ListUsers"
        }
        archive.addLog([root], delivered: "2026-11-02T10:05:00Z")
        let store = Self.store()
        let first = try await statefulScan([archive.root], store: store)
        #expect(first.findings.map(\.rule).contains("root-activity"))
        addDay(archive, "2026-11-03", key: "AKIATESTKEY00000001", user: "alice")
        let second = try await statefulScan([archive.root], store: store)
        #expect(!second.findings.map(\.rule).contains("root-activity"))
        let ledger = try StateStore.open(path: store).alerts()
        #expect(ledger.first { $0.rule == "root-activity" }?.status == .open)
    }

    @Test("a severity raised by configuration re-emits; a suppressed finding stays silent under --realert-after 0")
    func escalationAndSuppression() async throws {
        let june = ArchiveBuilder()
        addDay(june, "2026-06-01", key: "AKIAQUIETKEY00000001", user: "quiet")
        addDay(june, "2026-06-01", key: "AKIAOTHERKEY00000001", user: "other")
        addDay(june, "2026-09-09", key: "AKIABUSYKEY000000001", user: "busy")
        let store = Self.store()
        let first = try await statefulScan([june.root], store: store)
        let unused = first.findings.filter { $0.rule == "unused-access-key" }
        #expect(unused.count == 2)

        var louder = Configuration()
        louder.severityOverrides["unused-access-key"] = .high
        let escalated = try await statefulScan([june.root], store: store, configuration: louder)
        #expect(Set(escalated.findings.map(\.id)) == Set(unused.map(\.id)))
        #expect(escalated.findings.allSatisfy { $0.severity == .high })

        let ledger = try StateStore.open(path: store)
        let quiet = try #require(unused.first { $0.accessKeyId == "AKIAQUIETKEY00000001" })
        try ledger.suppress(quiet.id, reason: "kept for disaster recovery", until: nil)
        let realert = try await statefulScan([june.root], store: store, configuration: louder) { $0.realertAfter = 0 }
        #expect(realert.findings.map(\.accessKeyId) == ["AKIAOTHERKEY00000001"])
        #expect(realert.state?.suppressed == 1)
    }

    @Test("key-first-seen-from-new-network: a key with a week of history, seen from a new /24")
    func newNetwork() async throws {
        let history = ArchiveBuilder()
        for day in 1...8 {
            addDay(history, "2026-10-0\(day)", key: "AKIASTEADYKEY0000001", user: "steady", address: "203.0.113.\(day)")
        }
        for day in 1...3 {
            addDay(history, "2026-10-0\(day)", key: "AKIANEWISHKEY0000001", user: "newish", address: "203.0.113.50")
        }
        let store = Self.store()
        let first = try await statefulScan([history.root], store: store)
        #expect(!first.findings.contains { $0.rule == "key-first-seen-from-new-network" })

        let today = ArchiveBuilder()
        // The same /24 as before is not new; a new one is; the key with three days of history is not judged.
        addDay(today, "2026-10-10", key: "AKIASTEADYKEY0000001", user: "steady", address: "203.0.113.200")
        addDay(today, "2026-10-11", key: "AKIASTEADYKEY0000001", user: "steady", address: "198.51.100.7")
        addDay(today, "2026-10-10", key: "AKIANEWISHKEY0000001", user: "newish", address: "192.0.2.1")
        let second = try await statefulScan([today.root], store: store)
        let found = second.findings.filter { $0.rule == "key-first-seen-from-new-network" }
        #expect(found.count == 1)
        let finding = try #require(found.first)
        #expect(finding.accessKeyId == "AKIASTEADYKEY0000001")
        #expect(finding.evidence["network"]?.stringValue == "198.51.100.0/24")
        #expect(finding.evidence["firstDay"]?.stringValue == "2026-10-11")
        #expect(finding.evidence["knownNetworks"]?.integerValue == 1)
        #expect(finding.evidence["daysOfHistory"]?.integerValue == 8)

        // The network is part of the history now: using it again is not news.
        let tomorrow = ArchiveBuilder()
        addDay(tomorrow, "2026-10-12", key: "AKIASTEADYKEY0000001", user: "steady", address: "198.51.100.8")
        let third = try await statefulScan([tomorrow.root], store: store)
        #expect(!third.findings.contains { $0.rule == "key-first-seen-from-new-network" })
    }

    @Test("a second scan waits for the first, and gives up with a clear message after --state-wait")
    func busyStore() async throws {
        let archive = ScanPipelineTests.archive()
        let store = Self.store()
        let held = try RunLock(store: store, wait: 0)
        let error = await #expect(throws: StoreError.self) {
            _ = try await statefulScan([archive.root], store: store) { $0.wait = 0.2 }
        }
        #expect(error?.kind == .busy)
        #expect(error?.description.contains("in use by another keytrail scan") == true)
        _ = held
    }
}
