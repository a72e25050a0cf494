import Dispatch
import Foundation
import GRDB
import TrailModel

/// Where a finding stands in the alert ledger.
public enum AlertStatus: String, Sendable, CaseIterable {
    /// Found and not yet delivered to the sinks (new, escalated, reopened or due again).
    case pending
    /// Delivered; not emitted again unless it escalates or `--realert-after` passes.
    case open
    /// Closed by a person; emitted again if it comes back.
    case resolved
    /// Silenced by a person, for good or until a date.
    case suppressed
}

/// One finding in the alert ledger.
public struct AlertRecord: Sendable, Equatable {
    public var id: String
    public var rule: String
    public var severity: Severity
    public var title: String
    public var accessKeyId: String?
    public var status: AlertStatus
    public var firstEmitted: Int64?
    public var lastEmitted: Int64?
    public var lastSeen: Int64
    public var suppressedUntil: Int64?
    public var reason: String?
    /// The latest version of the finding.
    public var finding: Finding?
}

/// What the alert ledger holds about one finding, for deciding what a run emits.
public struct AlertState: Sendable, Equatable {
    public var status: AlertStatus
    /// The highest severity emitted or found.
    public var severity: Severity
    public var suppressedUntil: Int64?
    public var lastEmitted: Int64?

    public init(status: AlertStatus, severity: Severity, suppressedUntil: Int64? = nil, lastEmitted: Int64? = nil) {
        self.status = status
        self.severity = severity
        self.suppressedUntil = suppressedUntil
        self.lastEmitted = lastEmitted
    }

    /// The status after a run finds `finding` again at `now`: new, escalated, reopened, no longer suppressed, or
    /// due under `realertAfter` means pending (to be emitted).
    public static func next(
        _ state: AlertState?, finding: Finding, now: Int64, realertAfter: Int64?
    ) -> AlertStatus {
        guard let state else { return .pending }
        switch state.status {
        case .pending: return .pending
        case .suppressed:
            if let until = state.suppressedUntil, until <= now { return .pending }
            return .suppressed
        case .resolved: return .pending
        case .open:
            if finding.severity > state.severity { return .pending }
            if let realertAfter, let last = state.lastEmitted, now - last >= realertAfter { return .pending }
            return .open
        }
    }
}

extension StateStore {
    /// Puts findings into the ledger inside a checkpoint's transaction: new, escalated, reopened or re-alert-due
    /// findings become pending; others only refresh their last-found time and latest version.
    static func stage(_ findings: [Finding], _ db: Database, now: Int64, realertAfter: Int64?) throws {
        guard !findings.isEmpty else { return }
        var stored = try alertStates(db)
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO alerts (id, rule, severity, title, access_key_id, status, last_seen)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                """)
        let update = try db.makeStatement(
            sql: """
                UPDATE alerts SET status = ?, severity = ?, title = ?, last_seen = ?, suppressed_until = ?
                WHERE id = ?
                """)
        let latest = try db.makeStatement(
            sql: """
                INSERT INTO alert_findings (id, finding) VALUES (?, ?)
                ON CONFLICT (id) DO UPDATE SET finding = excluded.finding
                """)
        let lines = jsonLines(findings)
        for (finding, line) in zip(findings, lines) {
            let old = stored[finding.id]
            let next = AlertState.next(old, finding: finding, now: now, realertAfter: realertAfter)
            try latest.execute(arguments: [finding.id, line])
            guard let old else {
                try insert.execute(arguments: [
                    finding.id, finding.rule, finding.severity.rawValue, finding.title, finding.accessKeyId, now,
                ])
                stored[finding.id] = AlertState(status: .pending, severity: finding.severity)
                continue
            }
            let severity = max(old.severity, finding.severity)
            let until = next == .pending ? nil : old.suppressedUntil
            try update.execute(arguments: [next.rawValue, severity.rawValue, finding.title, now, until, finding.id])
            stored[finding.id] = AlertState(
                status: next, severity: severity, suppressedUntil: until, lastEmitted: old.lastEmitted)
        }
    }

    /// Every finding's state in the ledger, by id.
    public func alertStates() throws(StoreError) -> [String: AlertState] {
        try read { db in try Self.alertStates(db) }
    }

    private static func alertStates(_ db: Database) throws -> [String: AlertState] {
        var states: [String: AlertState] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, status, severity, suppressed_until, last_emitted FROM alerts")
        while let row = try rows.next() {
            states[row["id"]] = AlertState(
                status: AlertStatus(rawValue: row["status"]) ?? .open,
                severity: Severity(rawValue: row["severity"]) ?? .info, suppressedUntil: row["suppressed_until"],
                lastEmitted: row["last_emitted"])
        }
        return states
    }

    /// Each finding's `keytrail.finding/1` line, rendered on every core.
    private static func jsonLines(_ findings: [Finding]) -> [String] {
        var lines = [String](repeating: "", count: findings.count)
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, findings.count / 256 + 1))
        lines.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for index in (findings.count * part / parts)..<(findings.count * (part + 1) / parts) {
                    output.value[index] = findings[index].jsonLine
                }
            }
        }
        return lines
    }

    /// Findings waiting to be delivered, most severe first.
    public func pendingFindings() throws(StoreError) -> [Finding] {
        try alerts(status: .pending).compactMap(\.finding)
    }

    /// The latest stored version of each of these findings (those the ledger has).
    public func findings(ids: Set<String>) throws(StoreError) -> [Finding] {
        guard !ids.isEmpty else { return [] }
        let texts = try read { db in
            let statement = try db.makeStatement(sql: "SELECT finding FROM alert_findings WHERE id = ?")
            return try ids.sorted().compactMap { id in try String.fetchOne(statement, arguments: [id]) }
        }
        return texts.compactMap { (try? JSONValue.parse($0)).flatMap(Finding.init(json:)) }
    }

    /// Marks findings delivered.
    public func markEmitted(_ ids: [String], now: Int64) throws(StoreError) {
        guard !ids.isEmpty else { return }
        // One statement for all: ids are hex digits, so a JSON array of them needs no escaping.
        let list = Self.hexList(ids)
        try write { db in
            try db.execute(
                sql: """
                    UPDATE alerts SET status = 'open', last_emitted = ?, first_emitted = COALESCE(first_emitted, ?)
                    WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))
                    """,
                arguments: [now, now, list])
        }
    }

    /// `ids` as a JSON array of strings, each keeping only its ASCII hex digits (a finding's id is nothing else).
    ///
    /// Built from UTF-8 bytes: filtering the ids as `Character`s took 7–11 ms for a first run's 4,139 findings, on
    /// the last stretch of a run, after its output.
    static func hexList(_ ids: [String]) -> String {
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(ids.reduce(2) { $0 + $1.utf8.count + 3 })
        for (position, id) in ids.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            for byte in id.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                    UInt8(ascii: "A")...UInt8(ascii: "F"):
                    json.append(byte)
                default: continue
                }
            }
            json.append(UInt8(ascii: "\""))
        }
        json.append(UInt8(ascii: "]"))
        return String(decoding: json, as: UTF8.self)
    }

    /// The ledger, optionally of one status, most severe first.
    public func alerts(status: AlertStatus? = nil) throws(StoreError) -> [AlertRecord] {
        let rows = try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT alerts.*, alert_findings.finding FROM alerts LEFT JOIN alert_findings USING (id)"
                    + (status == nil ? "" : " WHERE status = ?") + " ORDER BY id",
                arguments: status.map { [$0.rawValue] } ?? [])
        }
        return rows.map { row in
            let text: String? = row["finding"]
            return AlertRecord(
                id: row["id"], rule: row["rule"], severity: Severity(rawValue: row["severity"]) ?? .info,
                title: row["title"], accessKeyId: row["access_key_id"],
                status: AlertStatus(rawValue: row["status"]) ?? .open, firstEmitted: row["first_emitted"],
                lastEmitted: row["last_emitted"], lastSeen: row["last_seen"], suppressedUntil: row["suppressed_until"],
                reason: row["reason"], finding: text.flatMap { try? JSONValue.parse($0) }.flatMap(Finding.init(json:)))
        }.sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.id < $1.id }
    }

    /// Silences a finding, for good or until a time.
    public func suppress(_ id: String, reason: String, until: Int64?) throws(StoreError) {
        try changeStatus(id, to: .suppressed, reason: reason, until: until)
    }

    /// Closes a finding; it is emitted again if a later run finds it.
    public func resolve(_ id: String, reason: String?) throws(StoreError) {
        try changeStatus(id, to: .resolved, reason: reason, until: nil)
    }

    private func changeStatus(_ id: String, to status: AlertStatus, reason: String?, until: Int64?) throws(StoreError) {
        let full = try resolveID(id)
        try write { db in
            try db.execute(
                sql: "UPDATE alerts SET status = ?, reason = ?, suppressed_until = ? WHERE id = ?",
                arguments: [status.rawValue, reason, until, full])
        }
    }

    /// The full id of the one finding whose id is or starts with `text` (at least 8 characters).
    /// - Throws: ``StoreError`` (`notFound`) when no finding, or more than one, matches.
    public func resolveID(_ text: String) throws(StoreError) -> String {
        let wanted = text.lowercased()
        guard wanted.count >= 8, wanted.allSatisfy(\.isHexDigit) else {
            throw StoreError(.notFound, "'\(text)' is not a finding id (32 hex digits, or at least the first 8)")
        }
        let matches = try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM alerts WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 3",
                arguments: [wanted.count, wanted])
        }
        switch matches.count {
        case 0: throw StoreError(.notFound, "no finding \(text) in \(path); keytrail findings lists the ids")
        case 1: return matches[0]
        default:
            throw StoreError(
                .notFound,
                "\(text) matches several findings (\(matches.joined(separator: ", ")), …); give more of the id")
        }
    }
}
