import Foundation
import GRDB
import TrailAnalysis
import TrailModel

/// keytrail's memory between runs, in one SQLite file: which files were read, every key's merged activity and
/// lifecycle, what the data covers, which findings were emitted, and webhook batches not yet delivered.
///
/// Opened in WAL mode; a scan holds an exclusive run lock (``RunLock``) so two scans never read the same new files.
/// Every change a run makes from its files is committed in one transaction with the files' ledger rows (a
/// ``Checkpoint``), so a run killed at any point leaves the store as it was before that checkpoint.
public final class StateStore: @unchecked Sendable {
    /// The store's file.
    public let path: String
    let pool: DatabasePool

    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// Opens (and with `create`, creates with mode 0600) the store at `path`, migrating an older schema.
    /// - Throws: ``StoreError`` when the file cannot be opened, is not a store, or was written by a newer keytrail.
    public static func open(path: String, create: Bool = true) throws(StoreError) -> StateStore {
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw StoreError(.notFound, "\(path) does not exist; run keytrail scan --state \(path) first")
            }
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw StoreError(.cannotOpen, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "keytrail-state"
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses nothing committed
            // and a power cut can only roll back whole transactions (file and contribution together).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // No checkpoint inside a commit: SQLite's default ran one in the commit that passed 1,000 pages of log,
            // where a first run's final commit (20 MB) waited ~40 ms for it. A stateful scan checkpoints on a thread
            // of its own while it reads (``checkpoint()``), so the log holds what was written since the previous
            // scan began.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.cannotOpen, "cannot open \(path) as a keytrail state store: \(error)")
        }
        let store = StateStore(path: path, pool: pool)
        try store.migrate()
        return store
    }

    private func migrate() throws(StoreError) {
        let migrator = StoreMigrations.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let applied = try pool.read { db in try migrator.appliedMigrations(db) }
                throw StoreError.newerVersion(path, applied)
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path)
        } catch {
            throw StoreError(.cannotOpen, "cannot use \(path) as a keytrail state store: \(error)")
        }
    }

    /// Runs `body` in a write transaction, turning database errors into ``StoreError``s.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path)
        } catch {
            throw StoreError(.failed, "writing \(path) failed: \(error)")
        }
    }

    /// Runs `body` with a read-only snapshot.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "reading \(path) failed: \(error)")
        }
    }

    // MARK: Runs

    /// Records a new run; runs left `running` by a killed process are marked `interrupted`.
    public func beginRun(version: String, now: Int64) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            try db.execute(
                sql: "INSERT INTO runs (started_at, status, version) VALUES (?, 'running', ?)",
                arguments: [now, version])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run ended.
    public func finishRun(
        _ id: Int64, status: String, files: Int, records: Int, emitted: Int, now: Int64
    )
        throws(StoreError)
    {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE runs SET finished_at = ?, status = ?, files = files + ?, records = records + ?,
                    findings_emitted = ? WHERE id = ?
                    """,
                arguments: [now, status, files, records, emitted, id])
        }
    }

    // MARK: File ledger

    /// What the ledger knows of a file.
    public struct LedgerEntry: Sendable, Equatable {
        public var size: Int64?
        public var modificationTime: Int64?
        public var readAt: Int64
    }

    /// What the ledger has for each of `paths` (nil where it has nothing), in their order.
    ///
    /// A merge of the sorted paths with one range scan of the ledger, so memory stays with the paths asked about,
    /// not with every file ever read.
    public func ledgerEntries(for paths: [String]) throws(StoreError) -> [LedgerEntry?] {
        var entries = [LedgerEntry?](repeating: nil, count: paths.count)
        let order = paths.indices.sorted { paths[$0] < paths[$1] }
        guard let first = order.first, let last = order.last else { return entries }
        try read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, size, mtime, read_at FROM files WHERE path BETWEEN ? AND ? ORDER BY path",
                arguments: [paths[first], paths[last]])
            var position = 0
            while let row = try rows.next() {
                let path: String = row["path"]
                while position < order.count && paths[order[position]] < path { position += 1 }
                guard position < order.count else { break }
                // The same path may be asked for twice (a file given twice); answer each.
                var match = position
                while match < order.count && paths[order[match]] == path {
                    entries[order[match]] = LedgerEntry(
                        size: row["size"], modificationTime: row["mtime"], readAt: row["read_at"])
                    match += 1
                }
            }
        }
        return entries
    }

    /// The number of files in the ledger.
    public func ledgerCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files") ?? 0 }
    }

    // MARK: History

    /// Every key's merged activity, sorted by access key ID.
    public func keys(threads: Int = 2) throws(StoreError) -> [KeyActivity] {
        var keys = try storedKeys(threads: threads).keys
        keys.sort { $0.accessKeyID.value < $1.accessKeyID.value }
        return keys
    }

    /// Every key's merged activity, bucket by bucket (each bucket sorted by access key ID, the buckets in no
    /// particular order), with each key's bucket (``KeyBucket/index(of:)``).
    public func storedKeys(threads: Int = 2) throws(StoreError) -> (keys: [KeyActivity], buckets: [UInt16]) {
        let rows: [(index: Int, bytes: [UInt8])] = try read { db in
            try Row.fetchAll(db, sql: "SELECT bucket, data FROM key_buckets").map { row in
                let data: Data = row["data"]
                return (row["bucket"], [UInt8](data))
            }
        }
        return try KeyBucket.decode(rows, threads: threads)
    }

    /// Every key lifecycle event recorded.
    public func lifecycle() throws(StoreError) -> [KeyLifecycleEvent] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM key_lifecycle ORDER BY time, event_key"
            ).compactMap { row in
                guard let action = KeyLifecycleEvent.Action(rawValue: row["action"]) else { return nil }
                let key: String = row["event_key"]
                return KeyLifecycleEvent(
                    time: row["time"], accessKeyId: row["access_key_id"], action: action, userName: row["user_name"],
                    isRootKey: row["is_root"], callerArn: row["caller_arn"],
                    eventID: key.hasPrefix("synthetic:") ? nil : key)
            }
        }
    }

    /// What all the data read so far covers.
    public func coverage() throws(StoreError) -> Coverage {
        try read { db in
            var coverage = Coverage()
            for row in try Row.fetchAll(db, sql: "SELECT dimension, name, events FROM coverage") {
                let dimension: String = row["dimension"]
                let name: String = row["name"]
                let events: Int = row["events"]
                switch dimension {
                case "account": coverage.accounts[name] = events
                case "region": coverage.regions[name] = events
                case "total": coverage.events = events
                default: break
                }
            }
            let first = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'first_event'")
            let last = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_event'")
            coverage.firstEvent = first.flatMap { Int64($0) }
            coverage.lastEvent = last.flatMap { Int64($0) }
            return coverage
        }
    }

    // MARK: Checkpoints

    /// Commits what a run learned from some files, with their ledger rows, in one transaction.
    /// - Parameter buckets: the key buckets the files touched, each with all its keys' merged activity (see
    ///   ``KeyBucket``). Called inside the transaction once everything else in it is written, so a caller still
    ///   encoding them can wait there: the rest of the commit then runs beside their encoding, not after it.
    public func commit(
        _ checkpoint: Checkpoint, run: Int64, now: Int64, buckets: () -> [KeyBucket.Encoded] = { [] }
    ) throws(StoreError) {
        try write { db in
            let fileStatement = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO files
                    (path, size, mtime, records, invalid_records, status, error, run_id, read_at, etag)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for file in checkpoint.files {
                try fileStatement.execute(
                    arguments: [
                        file.path, file.size, file.modificationTime, file.records, file.invalidRecords,
                        file.error == nil ? "read" : "partial", file.error, run, now, file.etag,
                    ])
            }
            let lifecycleStatement = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO key_lifecycle
                    (event_key, access_key_id, time, action, user_name, is_root, caller_arn)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for change in checkpoint.lifecycle {
                try lifecycleStatement.execute(
                    arguments: [
                        change.eventID ?? "synthetic:\(change.accessKeyId):\(change.time):\(change.action.rawValue)",
                        change.accessKeyId, change.time, change.action.rawValue, change.userName, change.isRootKey,
                        change.callerArn,
                    ])
            }
            try Self.addCoverage(checkpoint.coverage, db)
            try Self.stage(checkpoint.findings, db, now: now, realertAfter: checkpoint.realertAfter)
            let bucketStatement = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO key_buckets (bucket, keys, data) VALUES (?, ?, ?)")
            for bucket in buckets() {
                try bucketStatement.execute(arguments: [bucket.index, bucket.keyCount, Data(bucket.bytes)])
            }
        }
    }

    private static func addCoverage(_ coverage: Coverage, _ db: Database) throws {
        let rows =
            coverage.accounts.map { ("account", $0.key, $0.value) }
            + coverage.regions.map { ("region", $0.key, $0.value) }
            + [("total", "", coverage.events)]
        for (dimension, name, events) in rows where events > 0 {
            try db.execute(
                sql: """
                    INSERT INTO coverage (dimension, name, events) VALUES (?, ?, ?)
                    ON CONFLICT (dimension, name) DO UPDATE SET events = events + excluded.events
                    """,
                arguments: [dimension, name, events])
        }
        if let first = coverage.firstEvent {
            try db.execute(
                sql: """
                    INSERT INTO meta (key, value) VALUES ('first_event', ?)
                    ON CONFLICT (key) DO UPDATE SET value = MIN(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))
                    """,
                arguments: [String(first)])
        }
        if let last = coverage.lastEvent {
            try db.execute(
                sql: """
                    INSERT INTO meta (key, value) VALUES ('last_event', ?)
                    ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))
                    """,
                arguments: [String(last)])
        }
    }
}
