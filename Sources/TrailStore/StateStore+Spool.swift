import Foundation
import GRDB

/// A webhook batch that could not be delivered, kept until a later run delivers it.
public struct SpooledBatch: Sendable, Equatable {
    public var batchID: String
    /// The destination's identity (its URL without credentials).
    public var destination: String
    public var body: [UInt8]
    public var createdAt: Int64
    public var attempts: Int
    public var lastError: String?
    /// The ids of the findings in the batch.
    public var findingIDs: [String]

    /// Describes a batch.
    public init(
        batchID: String, destination: String, body: [UInt8], createdAt: Int64, attempts: Int, lastError: String? = nil,
        findingIDs: [String] = []
    ) {
        self.batchID = batchID
        self.destination = destination
        self.body = body
        self.createdAt = createdAt
        self.attempts = attempts
        self.lastError = lastError
        self.findingIDs = findingIDs
    }
}

extension StateStore {
    /// Keeps an undelivered batch.
    public func spool(_ batch: SpooledBatch) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_spool (destination, batch_id, body, created_at, attempts, last_error, finding_ids)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (batch_id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error
                    """,
                arguments: [
                    batch.destination, batch.batchID, Data(batch.body), batch.createdAt, batch.attempts,
                    batch.lastError, batch.findingIDs.joined(separator: ","),
                ])
        }
    }

    /// Undelivered batches for `destination`, oldest first.
    public func spooled(for destination: String) throws(StoreError) -> [SpooledBatch] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_spool WHERE destination = ? ORDER BY id", arguments: [destination]
            ).map { row in
                let body: Data = row["body"]
                let ids: String = row["finding_ids"]
                return SpooledBatch(
                    batchID: row["batch_id"], destination: row["destination"], body: [UInt8](body),
                    createdAt: row["created_at"], attempts: row["attempts"], lastError: row["last_error"],
                    findingIDs: ids.split(separator: ",").map(String.init))
            }
        }
    }

    /// Forgets a delivered batch.
    public func removeSpooled(_ batchID: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM webhook_spool WHERE batch_id = ?", arguments: [batchID]) }
    }
}
