import Foundation
import GRDB
import Testing
import TrailModel
import TrailTestSupport

@testable import TrailStore

@Suite("Write-ahead log: commits never wait for a checkpoint; checkpoints and vacuum put it in the file")
struct WriteAheadLogTests {
    /// A store with one run's commit of `findings` findings in it.
    static func storeWithRun(findings: Int) throws -> (StateStore, String) {
        let path = Fixtures.temporaryFolder("wal") + "/state.db"
        let store = try StateStore.open(path: path)
        let run = try store.beginRun(version: "test", now: 1)
        let staged = (0..<findings).map { AlertLedgerTests.finding("AKIA\(String(format: "%016d", $0))") }
        try store.commit(Checkpoint(findings: staged), run: run, now: 2)
        try store.finishRun(run, status: "completed", files: 0, records: 0, emitted: 0, now: 3)
        return (store, path)
    }

    /// The runs a copy of the database file alone (without its log) holds.
    static func runsInFileAlone(_ path: String) throws -> Int {
        let copy = Fixtures.temporaryFolder("wal-copy") + "/alone.db"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        return try DatabaseQueue(path: copy).read { db in
            guard try db.tableExists("runs") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0
        }
    }

    @Test("a commit larger than SQLite's 1,000-page mark stays in the log until a checkpoint copies it")
    func checkpointCopiesTheLog() throws {
        // 5,000 findings (about 1,150 pages of log): past the 1,000 pages at which SQLite checkpointed by default.
        let (store, path) = try Self.storeWithRun(findings: 5_000)
        #expect(try Self.runsInFileAlone(path) == 0)
        let counts = try store.checkpoint()
        #expect(counts.logged > 1_000)
        #expect(counts.copied == counts.logged)
        #expect(try Self.runsInFileAlone(path) == 1)
        #expect(try store.alerts().count == 5_000)
    }

    @Test("vacuum leaves the whole store in the database file, so the file alone can be copied")
    func vacuumEmptiesTheLog() throws {
        let (store, path) = try Self.storeWithRun(findings: 50)
        try store.vacuum()
        #expect(try Self.runsInFileAlone(path) == 1)
        let size = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber
        #expect(size?.intValue == 0)
    }
}
