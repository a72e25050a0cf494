import Foundation
import GRDB
import Testing
import TrailModel
import TrailTestSupport

@testable import TrailStore

@Suite("Checkpoint commit: key buckets handed in late commit in one transaction with the rest")
struct CheckpointCommitTests {
    static func file(_ name: String) -> Checkpoint.File {
        Checkpoint.File(
            path: "/logs/\(name)", size: 1_234, modificationTime: 1_780_000_000, records: 3, invalidRecords: 0,
            error: nil)
    }

    /// One integer read by `reader` (synchronously, outside any async overload).
    static func integer(_ reader: DatabaseQueue, _ sql: String) -> Int? {
        try? reader.read { db in try Int.fetchOne(db, sql: sql) }
    }

    @Test("buckets encoded while the rest is written are stored with the files and findings of the checkpoint")
    func lateBucketsCommitWithTheCheckpoint() async throws {
        let keys = await KeyActivityCodecTests.realKeys()
        let store = try StateStore.open(path: Fixtures.temporaryFolder("late-buckets") + "/state.db")
        let run = try store.beginRun(version: "test", now: 1)
        let finding = AlertLedgerTests.finding(keys[0].accessKeyID.value)
        let buckets = Dictionary(grouping: keys.indices) { KeyBucket.index(of: keys[$0].accessKeyID.value) }
            .map { (index: $0.key, positions: $0.value.map(Int32.init)) }
        var calls = 0
        try store.commit(Checkpoint(files: [Self.file("a.json.gz")], findings: [finding]), run: run, now: 2) {
            calls += 1
            return KeyBucket.encode(keys, buckets: buckets, threads: 2)
        }
        #expect(calls == 1)
        let stored = try store.storedKeys()
        #expect(
            stored.keys.sorted { $0.accessKeyID < $1.accessKeyID } == keys.sorted { $0.accessKeyID < $1.accessKeyID })
        #expect(try store.ledgerEntries(for: ["/logs/a.json.gz"]).first??.size == 1_234)
        #expect(try store.alertStates()[finding.id]?.status == .pending)
    }

    @Test("late buckets are taken inside the transaction: meanwhile a reader sees nothing of the checkpoint")
    func lateBucketsInsideTheTransaction() async throws {
        let keys = await KeyActivityCodecTests.realKeys()
        let path = Fixtures.temporaryFolder("late-buckets-reader") + "/state.db"
        let store = try StateStore.open(path: path)
        let run = try store.beginRun(version: "test", now: 1)
        let reader = try DatabaseQueue(path: path)
        var filesSeenByReader: Int?
        try store.commit(Checkpoint(files: [Self.file("b.json.gz")]), run: run, now: 2) {
            filesSeenByReader = Self.integer(reader, "SELECT COUNT(*) FROM files")
            return KeyBucket.encode(Array(keys.prefix(3)), buckets: [(index: 7, positions: [0, 1, 2])], threads: 1)
        }
        // The reader saw the store before the transaction; after it, the file and the bucket are there together.
        #expect(filesSeenByReader == 0)
        #expect(Self.integer(reader, "SELECT COUNT(*) FROM files") == 1)
        #expect(Self.integer(reader, "SELECT keys FROM key_buckets WHERE bucket = 7") == 3)
    }
}
