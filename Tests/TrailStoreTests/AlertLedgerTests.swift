import Testing
import TrailModel
import TrailTestSupport

@testable import TrailStore

@Suite("Alert ledger: each finding emitted once, again only when it escalates, is due, or comes back")
struct AlertLedgerTests {
    static func store() throws -> StateStore {
        try StateStore.open(path: Fixtures.temporaryFolder("ledger") + "/state.db")
    }

    static func finding(_ subject: String, _ severity: Severity = .medium) -> Finding {
        Finding(
            id: Finding.stableID(["unused-access-key", subject]), rule: "unused-access-key", severity: severity,
            title: "Unused for 120 days: access key \(subject)", accessKeyId: subject,
            principal: Principal(type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice"),
            accountId: "111122223333", firstSeen: 1_780_000_000, lastSeen: 1_780_003_600,
            evidence: .object([.init("daysSinceLastUse", .integer(120))]), remediation: "Deactivate the key.")
    }

    /// Stages findings as a run does and returns the ids it would emit, marking them delivered.
    static func run(
        _ store: StateStore, _ findings: [Finding], now: Int64, realertAfter: Int64? = nil
    ) throws -> [String] {
        let run = try store.beginRun(version: "test", now: now)
        try store.commit(Checkpoint(findings: findings, realertAfter: realertAfter), run: run, now: now)
        let pending = try store.pendingFindings()
        try store.markEmitted(pending.map(\.id), now: now)
        try store.finishRun(run, status: "completed", files: 0, records: 0, emitted: pending.count, now: now)
        return pending.map(\.id).sorted()
    }

    @Test("new findings are emitted once; found again they stay open and silent")
    func emittedOnce() throws {
        let store = try Self.store()
        let a = Self.finding("AKIAAAAAAAAAAAAAAAAA")
        let b = Self.finding("AKIABBBBBBBBBBBBBBBB")
        #expect(try Self.run(store, [a, b], now: 1_000) == [a.id, b.id].sorted())
        #expect(try Self.run(store, [a, b], now: 2_000) == [])
        let records = try store.alerts()
        #expect(records.map(\.status) == [.open, .open])
        #expect(records.allSatisfy { $0.firstEmitted == 1_000 && $0.lastEmitted == 1_000 && $0.lastSeen == 2_000 })
        // The ledger keeps the latest version of the finding, decoded exactly.
        #expect(records.first { $0.id == a.id }?.finding == a)
    }

    @Test("a finding whose severity rises is emitted again; one whose severity falls is not")
    func escalation() throws {
        let store = try Self.store()
        let medium = Self.finding("AKIAAAAAAAAAAAAAAAAA", .medium)
        _ = try Self.run(store, [medium], now: 1_000)
        var high = medium
        high.severity = .high
        #expect(try Self.run(store, [high], now: 2_000) == [high.id])
        #expect(try store.alerts().first?.severity == .high)
        #expect(try Self.run(store, [medium], now: 3_000) == [])
        // The ledger remembers the highest severity emitted, so going back up to high is not news.
        #expect(try Self.run(store, [high], now: 4_000) == [])
    }

    @Test("--realert-after: an open finding is emitted again once the interval has passed since it last was")
    func realert() throws {
        let store = try Self.store()
        let a = Self.finding("AKIAAAAAAAAAAAAAAAAA")
        _ = try Self.run(store, [a], now: 1_000, realertAfter: 500)
        #expect(try Self.run(store, [a], now: 1_499, realertAfter: 500) == [])
        #expect(try Self.run(store, [a], now: 1_500, realertAfter: 500) == [a.id])
        #expect(try Self.run(store, [a], now: 1_600, realertAfter: 500) == [])
        #expect(try store.alerts().first?.firstEmitted == 1_000)
        #expect(try store.alerts().first?.lastEmitted == 1_500)
    }

    @Test("suppressed findings stay silent until their date; resolved ones are emitted again if found again")
    func suppressAndResolve() throws {
        let store = try Self.store()
        let a = Self.finding("AKIAAAAAAAAAAAAAAAAA")
        let b = Self.finding("AKIABBBBBBBBBBBBBBBB")
        _ = try Self.run(store, [a, b], now: 1_000)
        try store.suppress(a.id, reason: "break-glass key, reviewed", until: 5_000)
        try store.resolve(String(b.id.prefix(10)), reason: "deleted the key")
        #expect(try store.alerts(status: .suppressed).map(\.reason) == ["break-glass key, reviewed"])
        var escalated = a
        escalated.severity = .critical
        // Suppression holds even when the finding escalates, until its date.
        #expect(try Self.run(store, [escalated], now: 4_999) == [])
        #expect(try Self.run(store, [escalated, b], now: 5_000) == [a.id, b.id].sorted())
        #expect(try store.alerts().allSatisfy { $0.status == .open && $0.suppressedUntil == nil })
    }

    @Test("findings left pending by a run that could not deliver are emitted by the next run")
    func undelivered() throws {
        let store = try Self.store()
        let a = Self.finding("AKIAAAAAAAAAAAAAAAAA")
        let run = try store.beginRun(version: "test", now: 1_000)
        try store.commit(Checkpoint(findings: [a]), run: run, now: 1_000)
        // No markEmitted: the output could not be written.
        #expect(try Self.run(store, [], now: 2_000) == [a.id])
        #expect(try Self.run(store, [], now: 3_000) == [])
    }

    @Test("ids: full, or a unique prefix of 8 or more hex digits; anything else is a clear error")
    func idPrefixes() throws {
        let store = try Self.store()
        let a = Self.finding("AKIAAAAAAAAAAAAAAAAA")
        _ = try Self.run(store, [a], now: 1_000)
        #expect(try store.resolveID(a.id) == a.id)
        #expect(try store.resolveID(String(a.id.prefix(8)).uppercased()) == a.id)
        let short = #expect(throws: StoreError.self) { try store.resolveID(String(a.id.prefix(7))) }
        #expect(short?.description.contains("at least the first 8") == true)
        let missing = #expect(throws: StoreError.self) {
            try store.suppress("0123456789abcdef", reason: "x", until: nil)
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.description.contains("keytrail findings lists the ids") == true)
    }

    @Test("marking delivered sends the ids as a JSON list of hex digits; anything else in an id is dropped")
    func deliveredIDList() throws {
        #expect(StateStore.hexList([]) == "[]")
        #expect(StateStore.hexList(["0a9f", "BEEF"]) == #"["0a9f","BEEF"]"#)
        // A quote, a backslash, a fullwidth digit and an emoji cannot reach the statement.
        #expect(StateStore.hexList(["ab\"c\\d１😀e"]) == #"["abcde"]"#)
        let store = try Self.store()
        let findings = (0..<300).map { Self.finding("AKIA\(String(format: "%016d", $0))") }
        let run = try store.beginRun(version: "test", now: 1)
        try store.commit(Checkpoint(findings: findings), run: run, now: 1_000)
        try store.markEmitted(findings.prefix(200).map(\.id) + ["not an id\"]"], now: 1_000)
        let states = try store.alertStates()
        #expect(findings.prefix(200).allSatisfy { states[$0.id]?.status == .open })
        #expect(findings.dropFirst(200).allSatisfy { states[$0.id]?.status == .pending })
    }
}
