import Foundation
import Testing
import TrailModel
import TrailTestSupport

/// SIGINT and SIGTERM sent to a running scan, as a terminal's Ctrl-C or a scheduler's timeout sends them.
///
/// Each run reads an explicit FIFO that never gets a writer, so the scan is reliably still running (one worker
/// waiting on the FIFO) when the signal comes, while the other worker has read the archive's regular files.
@Suite("signals: stop cleanly, commit, exit 130/143")
struct SignalTests {
    /// An archive with one log whose root-account call is a critical event finding, and a FIFO beside it.
    static func archiveWithGate(_ label: String) -> (archive: ArchiveBuilder, fifo: String) {
        let archive = ArchiveBuilder(label: label)
        let root = RecordBuilder {
            $0.asRoot()
            $0.eventSource = "iam.amazonaws.com"
            $0.eventName = "ListUsers"
        }
        archive.addLog([root, RecordBuilder()], delivered: "2026-11-02T10:20:00Z")
        let fifo = Fixtures.temporaryFolder(label + "-fifo") + "/never-written"
        #expect(mkfifo(fifo, 0o600) == 0)
        return (archive, fifo)
    }

    /// Waits until the regular files have surely been read by the second worker (debug builds start slowly).
    static func settle() { Thread.sleep(forTimeInterval: 4) }

    @Test(
        "one signal: the files read are committed with their findings, the rest waits for the next run",
        arguments: [(SIGTERM, Int32(143), "SIGTERM"), (SIGINT, Int32(130), "SIGINT")])
    func oneSignal(signalNumber: Int32, status: Int32, name: String) throws {
        let (archive, fifo) = Self.archiveWithGate("signal")
        let store = Fixtures.temporaryFolder("signal-state") + "/state.db"
        let running = try CommandRunner.start([
            "scan", "--state", store, "--jobs", "2", "--format", "json", "--progress", "never", fifo, archive.root,
        ])
        Self.settle()
        running.send(signalNumber)
        let outcome = running.wait()
        #expect(outcome.status == status, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("keytrail: stopped by \(name)"))
        let document = try jsonObject(outcome.standardOutput)
        let stats = try #require(document["stats"] as? [String: Any])
        let interrupted = try #require(stats["interrupted"] as? [String: Any])
        #expect(interrupted["signal"] as? String == name)
        #expect(interrupted["keyRulesEvaluated"] as? Bool == false)
        #expect(stats["records"] as? Int == 2)
        let errors = stats["errors"] as? [[String: String]] ?? []
        #expect(errors.contains { $0["path"] == fifo && $0["message"]?.contains("\(name) stopped the run") == true })
        let rules = (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.contains("root-activity"))

        #expect(!rules.contains { $0.hasPrefix("unused-") || $0.hasPrefix("long-term-") })

        // The next run finds the log in the ledger and does not emit its event finding again; the key rules it left
        // run now, over the history committed.
        let next = try CommandRunner.run([
            "scan", "--state", store, "--format", "json", "--progress", "never", archive.root,
        ])
        let nextDocument = try jsonObject(next.standardOutput)
        #expect((nextDocument["stats"] as? [String: Any])?["alreadyProcessed"] as? Int == 1)
        let nextRules = (nextDocument["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(!nextRules.contains("root-activity"))
        let stateless = try jsonObject(
            try CommandRunner.run(["scan", "--format", "json", "--progress", "never", archive.root]).standardOutput)
        let keyRules = (stateless["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            .filter { $0 != "root-activity" }
        #expect(nextRules.sorted() == keyRules.sorted())
    }

    @Test("a second signal exits at once, during webhook delivery; the store stays whole and the alert pending")
    func secondSignal() throws {
        let (archive, fifo) = Self.archiveWithGate("signal-twice")
        let store = Fixtures.temporaryFolder("signal-state") + "/state.db"
        let server = try TestWebhookServer(script: [.hang, .hang, .hang])
        defer { server.shutdown() }
        let started = Date()
        let running = try CommandRunner.start([
            "scan", "--state", store, "--jobs", "2", "--format", "json", "--progress", "never",
            "--webhook", server.url(), fifo, archive.root,
        ])
        Self.settle()
        running.send(SIGTERM)
        // The run now commits and posts to a webhook that never answers (10 seconds allowed after a signal).
        Thread.sleep(forTimeInterval: 1.5)
        running.send(SIGTERM)
        let outcome = running.wait()
        #expect(outcome.status == 143)
        #expect(Date().timeIntervalSince(started) < 11, "the second signal should end the run at once")

        // The store opens, its last checkpoint is whole, and the undelivered finding is emitted by the next run.
        let next = try CommandRunner.run([
            "scan", "--state", store, "--format", "json", "--progress", "never", archive.root,
        ])
        #expect([0, 1].contains(next.status), "\(next.standardError)")
        let nextDocument = try jsonObject(next.standardOutput)
        #expect((nextDocument["stats"] as? [String: Any])?["alreadyProcessed"] as? Int == 1)
        let rules = (nextDocument["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.contains("root-activity"))
    }

    @Test("without a store: SIGINT while a stream stalls mid-document prints what was read and exits 130")
    func stdinInterrupted() throws {
        // The stream stays open (a producer that stalls, as stdin can); the reader must give up when the signal comes.
        let fifo = Fixtures.temporaryFolder("signal-stdin") + "/stalled"
        #expect(mkfifo(fifo, 0o600) == 0)
        let running = try CommandRunner.start(["scan", "--format", "json", "--progress", "never", fifo])
        let handle = try #require(FileHandle(forWritingAtPath: fifo))
        // A document cut in the middle: the reader has the first record and waits for the rest.
        handle.write(Data((#"{"Records":["# + RecordBuilder().json + ",").utf8))
        Self.settle()
        running.send(SIGINT)
        let outcome = running.wait()
        try? handle.close()
        #expect(outcome.status == 130, "\(outcome.standardError)")
        let stats = try #require(try jsonObject(outcome.standardOutput)["stats"] as? [String: Any])
        #expect(stats["records"] as? Int == 1)
        #expect((stats["interrupted"] as? [String: Any])?["signal"] as? String == "SIGINT")
    }
}
