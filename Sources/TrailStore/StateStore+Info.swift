import Foundation
import GRDB

/// A summary of a state store for `keytrail state info`.
public struct StoreInfo: Sendable {
    public var path: String
    public var schema: [String]
    public var bytes: Int64
    public var files: Int
    public var keys: Int
    public var lifecycleEvents: Int
    public var alerts: [String: Int]
    public var spooledBatches: Int
    public var runs: Int
    public var lastRun: (started: Int64, status: String)?
}

extension StateStore {
    /// Counts and sizes.
    public func info() throws(StoreError) -> StoreInfo {
        let migrator = StoreMigrations.migrator
        return try read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            var alerts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM alerts GROUP BY status") {
                alerts[row["status"]] = row["n"]
            }
            let last = try Row.fetchOne(db, sql: "SELECT started_at, status FROM runs ORDER BY id DESC LIMIT 1")
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return StoreInfo(
                path: path, schema: try migrator.appliedMigrations(db), bytes: pages * pageSize,
                files: try count("files"),
                keys: try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(keys), 0) FROM key_buckets") ?? 0,
                lifecycleEvents: try count("key_lifecycle"),
                alerts: alerts, spooledBatches: try count("webhook_spool"), runs: try count("runs"),
                lastRun: last.map { ($0["started_at"], $0["status"]) })
        }
    }

    /// Files in the ledger and the records they held.
    public func ledgerTotals() throws(StoreError) -> (files: Int, records: Int) {
        try read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS files, COALESCE(SUM(records), 0) AS records FROM files")
            return (row?["files"] ?? 0, row?["records"] ?? 0)
        }
    }

    /// Rebuilds the file to reclaim free space, and empties the write-ahead log into it, so the file alone then
    /// holds the whole store (to copy it elsewhere).
    public func vacuum() throws(StoreError) {
        do {
            try pool.vacuum()
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            throw StoreError(.failed, "vacuum of \(path) failed: \(error)")
        }
    }

    /// Copies what the write-ahead log holds into the database file: a passive checkpoint, which waits for no
    /// reader and stops short of pages a reader still uses (the next checkpoint copies them).
    /// - Returns: the frames in the log, and how many of them are now in the file.
    @discardableResult
    public func checkpoint() throws(StoreError) -> (logged: Int, copied: Int) {
        do {
            let counts = try pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            return (counts.walFrameCount, counts.checkpointedFrameCount)
        } catch {
            throw StoreError(.failed, "checkpoint of \(path) failed: \(error)")
        }
    }
}
