import Foundation
import GRDB
import Testing
import TrailTestSupport

@testable import TrailStore

@Suite("Store migrations: from nothing, from an older schema, and refusing a newer one")
struct MigrationTests {
    static let allMigrations = ["v1", "v2-file-etag", "v3-spool-finding-ids", "v4-alert-findings"]

    @Test("a new store gets every migration, mode 0600, and WAL")
    func fresh() throws {
        let path = Fixtures.temporaryFolder("migrate") + "/state.db"
        let store = try StateStore.open(path: path)
        let info = try store.info()
        #expect(info.schema == Self.allMigrations)
        #expect(info.files == 0 && info.keys == 0 && info.runs == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let mode = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("an empty SQLite file made by someone else is migrated")
    func emptyDatabase() throws {
        let path = Fixtures.temporaryFolder("migrate") + "/state.db"
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "PRAGMA user_version = 0") }
        #expect(try StateStore.open(path: path).info().schema == Self.allMigrations)
    }

    @Test("a store at schema v1 with data is migrated and keeps its data")
    func fromPreviousVersion() throws {
        let path = Fixtures.temporaryFolder("migrate") + "/state.db"
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO files (path, size, mtime, records, invalid_records, status, run_id, read_at)
                    VALUES ('/logs/a.json.gz', 1234, 5678, 10, 0, 'read', 1, 99)
                    """)
        }
        try queue.close()
        let store = try StateStore.open(path: path)
        #expect(try store.info().schema == Self.allMigrations)
        let entries = try store.ledgerEntries(for: ["/logs/a.json.gz", "/logs/b.json.gz"])
        #expect(entries == [StateStore.LedgerEntry(size: 1234, modificationTime: 5678, readAt: 99), nil])
    }

    @Test("a store at schema v3 keeps its findings when their JSON moves to a table of its own")
    func findingsMoveOut() throws {
        let path = Fixtures.temporaryFolder("migrate") + "/state.db"
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v3-spool-finding-ids")
        let pending = AlertLedgerTests.finding("AKIAAAAAAAAAAAAAAAAA", .high)
        let open = AlertLedgerTests.finding("AKIABBBBBBBBBBBBBBBB")
        try queue.write { db in
            for (finding, status) in [(pending, "pending"), (open, "open")] {
                try db.execute(
                    sql: """
                        INSERT INTO alerts (id, rule, severity, title, access_key_id, status, last_seen, finding)
                        VALUES (?, ?, ?, ?, ?, ?, 7, ?)
                        """,
                    arguments: [
                        finding.id, finding.rule, finding.severity.rawValue, finding.title, finding.accessKeyId, status,
                        finding.jsonLine,
                    ])
            }
        }
        try queue.close()
        let store = try StateStore.open(path: path)
        #expect(try store.info().schema.last == "v4-alert-findings")
        #expect(try store.pendingFindings() == [pending])
        #expect(try store.findings(ids: [pending.id, open.id]).map(\.id).sorted() == [pending.id, open.id].sorted())
        let records = try store.alerts()
        #expect(records.map(\.id) == [pending.id, open.id])
        #expect(records.map(\.finding) == [pending, open])
        #expect(records.map(\.status) == [.pending, .open])
        // Staging and marking delivered work on the migrated tables.
        var changed = pending
        changed.title = "Unused for 150 days: access key AKIAAAAAAAAAAAAAAAAA"
        #expect(try AlertLedgerTests.run(store, [changed, open], now: 9) == [pending.id])
        #expect(try store.alerts().first { $0.id == pending.id }?.finding?.title == changed.title)
        #expect(try store.alerts(status: .pending).isEmpty)
    }

    @Test("a store written by a newer keytrail is refused with a message that says to upgrade")
    func newerVersion() throws {
        let path = Fixtures.temporaryFolder("migrate") + "/state.db"
        _ = try StateStore.open(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let error = #expect(throws: StoreError.self) { try StateStore.open(path: path) }
        #expect(error?.kind == .newerVersion)
        #expect(error?.description.contains("newer keytrail") == true)
        #expect(error?.description.contains("upgrade") == true)
    }

    @Test("a file that is not a database is refused, naming the file; a missing one only when asked to create")
    func notAStore() throws {
        let folder = Fixtures.temporaryFolder("migrate")
        Fixtures.write("this is not sqlite\n", to: folder + "/notes.txt")
        let error = #expect(throws: StoreError.self) { try StateStore.open(path: folder + "/notes.txt") }
        #expect(error?.description.contains(folder + "/notes.txt") == true)
        let missing = #expect(throws: StoreError.self) { try StateStore.open(path: folder + "/none.db", create: false) }
        #expect(missing?.kind == .notFound)
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.db"))
    }
}
