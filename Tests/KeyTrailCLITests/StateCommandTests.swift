import Foundation
import Testing
import TrailModel
import TrailStore
import TrailTestSupport

/// Parses a command's JSON output.
func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("keytrail scan --state, findings, keys, state: as a cron job runs them")
struct StateCommandTests {
    static let inventory = Fixtures.sampleLogs + "/credential-report.csv"

    static func findingIDs(_ document: [String: Any]) -> [String] {
        (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func stats(_ document: [String: Any]) -> [String: Any] { document["stats"] as? [String: Any] ?? [:] }

    @Test("SampleLogs twice: the first run emits every finding (exit 1), the second reads and emits nothing (exit 0)")
    func cronRuns() throws {
        let store = Fixtures.temporaryFolder("cli-state") + "/state.db"
        let scan = ["scan", "SampleLogs", "--inventory", Self.inventory, "--format", "json", "--state", store]
        let first = try CommandRunner.run(scan)
        #expect(first.status == 1, "\(first.standardError)")
        let firstDocument = try jsonObject(first.standardOutput)
        let stateless = try jsonObject(
            try CommandRunner.run(["scan", "SampleLogs", "--inventory", Self.inventory, "--format", "json"])
                .standardOutput)
        #expect(Self.findingIDs(firstDocument) == Self.findingIDs(stateless))
        #expect(Self.findingIDs(firstDocument).count == 21)
        #expect(Self.stats(firstDocument)["files"] as? Int == 197)

        let second = try CommandRunner.run(scan)
        #expect(second.status == 0, "\(second.standardError)")
        let secondDocument = try jsonObject(second.standardOutput)
        #expect(Self.findingIDs(secondDocument).isEmpty)
        #expect(Self.stats(secondDocument)["files"] as? Int == 0)
        #expect(Self.stats(secondDocument)["alreadyProcessed"] as? Int == 197)
        let state = try #require(secondDocument["state"] as? [String: Any])
        #expect(state["filesInLedger"] as? Int == 197)
        #expect(state["keysInHistory"] as? Int == 54)
        // The key rules run over the history every night and find the same 13; the event findings came from files
        // already read.
        #expect(state["alreadyReported"] as? Int == 13)

        // KEYTRAIL_STATE is the same store; --no-state ignores it.
        let fromEnvironment = try CommandRunner.run(
            ["scan", "SampleLogs", "--format", "json"], environment: ["KEYTRAIL_STATE": store])
        #expect(Self.stats(try jsonObject(fromEnvironment.standardOutput))["alreadyProcessed"] as? Int == 197)
        let ignored = try CommandRunner.run(
            ["scan", "SampleLogs", "--format", "json", "--no-state"], environment: ["KEYTRAIL_STATE": store])
        #expect(Self.stats(try jsonObject(ignored.standardOutput))["files"] as? Int == 197)
    }

    @Test("findings: list, suppress by id prefix with a reason and date, resolve; state info; keys as CSV")
    func ledgerCommands() throws {
        let store = Fixtures.temporaryFolder("cli-state") + "/state.db"
        _ = try CommandRunner.run(["scan", "SampleLogs", "--inventory", Self.inventory, "--state", store])
        let listed = try CommandRunner.run(["findings", "--state", store, "--status", "open", "--format", "json"])
        #expect(listed.status == 0)
        let ledger = try #require(try jsonObject(listed.standardOutput)["findings"] as? [[String: Any]])
        #expect(ledger.count == 21)
        let root = try #require(ledger.first { $0["rule"] as? String == "root-access-key" })
        let id = try #require(root["id"] as? String)
        #expect((root["finding"] as? [String: Any])?["schema"] as? String == "keytrail.finding/1")

        let suppressed = try CommandRunner.run([
            "findings", "suppress", String(id.prefix(10)), "--state", store, "--reason", "break-glass key, reviewed",
            "--until", "2027-01-31",
        ])
        #expect(suppressed.status == 0, "\(suppressed.standardError)")
        #expect(suppressed.standardOutput == "Suppressed \(id) until 2027-01-31.\n")
        let text = try CommandRunner.run(["findings", "--state", store, "--status", "suppressed"])
        #expect(text.standardOutput.contains("\(id)  suppressed until 2027-01-31  critical  root-access-key"))
        let resolved = try CommandRunner.run(["findings", "resolve", id, "--state", store])
        #expect(resolved.standardOutput == "Resolved \(id).\n")
        let unknown = try CommandRunner.run(["findings", "resolve", "ffffffffffff", "--state", store])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no finding ffffffffffff"))

        // A resolved finding that is found again is emitted again.
        let again = try CommandRunner.run([
            "scan", "SampleLogs", "--inventory", Self.inventory, "--state", store, "--format", "json",
        ])
        #expect(Self.findingIDs(try jsonObject(again.standardOutput)) == [id])

        let info = try CommandRunner.run(["state", "info", "--state", store])
        #expect(info.status == 0)
        #expect(
            info.standardOutput.contains(
                "schema: v4-alert-findings (migrations: v1, v2-file-etag, v3-spool-finding-ids, v4-alert-findings)"))
        #expect(info.standardOutput.contains("files read: 197\n  keys: 54\n"))
        #expect(info.standardOutput.contains("findings: 0 pending, 21 open, 0 resolved, 0 suppressed"))
        let vacuum = try CommandRunner.run(["state", "vacuum", "--state", store])
        #expect(vacuum.status == 0)
        #expect(vacuum.standardOutput.hasPrefix("Vacuumed \(store): "))

        let csv = try CommandRunner.run(["keys", "--state", store, "--format", "csv"])
        let lines = csv.standardOutput.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.count == 55)
        #expect(lines.first?.hasPrefix("accessKeyId,kind,principalType,userName,arn,accountId,events") == true)
        let keysJSON = try jsonObject(
            try CommandRunner.run(["keys", "--state", store, "--format", "json"]).standardOutput)
        #expect(keysJSON["schema"] as? String == "keytrail.keys/1")
        #expect((keysJSON["keys"] as? [Any])?.count == 54)
    }

    @Test("keys --format csv defuses values a spreadsheet would run as formulas")
    func csvInjection() throws {
        let archive = ArchiveBuilder(label: "csv")
        archive.addLog(
            [
                RecordBuilder {
                    $0.userAgent = "=HYPERLINK(\"http://evil.example/\",\"click\")"
                    $0.userName = "+alice"
                }
            ], delivered: "2026-11-02T23:55:00Z")
        let store = Fixtures.temporaryFolder("cli-state") + "/state.db"
        _ = try CommandRunner.run(["scan", archive.root, "--state", store])
        let csv = try CommandRunner.run(["keys", "--state", store, "--format", "csv"]).standardOutput
        #expect(csv.contains(",'+alice,"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\""))
        #expect(!csv.contains(",=HYPERLINK"))
    }

    /// An archive big enough that a run takes a while: `files` files of 400 records over 30 keys.
    static func busyArchive(files: Int) -> ArchiveBuilder {
        let archive = ArchiveBuilder(label: "busy")
        for file in 0..<files {
            let day = 1 + file % 28
            let records = (0..<400).map { index in
                RecordBuilder {
                    $0.eventTime = String(format: "2026-10-%02dT%02d:%02d:00Z", day, index % 24, index % 60)
                    $0.accessKeyId = String(format: "AKIABUSYARCHIVE%05d", (file * 7 + index) % 30)
                    $0.userName = "user\((file * 7 + index) % 30)"
                    $0.sourceIPAddress = "198.51.100.\(index % 200)"
                    $0.eventName = ["GetObject", "PutObject", "ListBuckets", "DescribeInstances"][index % 4]
                    $0.eventID = "busy-\(file)-\(index)"
                }
            }
            archive.addLog(
                records, delivered: String(format: "2026-10-%02dT23:55:00Z", day), unique: String(format: "F%04d", file)
            )
        }
        return archive
    }

    /// Every key's event count, from `keytrail keys --format json` or a scan document.
    static func eventCounts(_ document: [String: Any]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for key in document["keys"] as? [[String: Any]] ?? [] {
            counts[key["accessKeyId"] as! String] = key["events"] as? Int
        }
        return counts
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL at random points, then a run to the end: every record counted exactly once")
    func killedRuns() throws {
        let files = 160
        let archive = Self.busyArchive(files: files)
        let expected = Self.eventCounts(
            try jsonObject(try CommandRunner.run(["scan", archive.root, "--format", "json"]).standardOutput))
        #expect(expected.values.reduce(0, +) == files * 400)

        let folder = Fixtures.temporaryFolder("cli-kill")
        let store = folder + "/state.db"
        let scan = ["scan", archive.root, "--state", store, "--checkpoint-every", "1", "--jobs", "2", "--quiet"]
        // How long a whole run takes here, to spread the kills over it.
        let started = Date()
        let timing = try Self.start(["scan", archive.root, "--state", folder + "/timing.db", "--checkpoint-every", "1"])
        timing.waitUntilExit()
        let duration = Date().timeIntervalSince(started)

        var generator = SystemRandomNumberGenerator()
        var partial = 0
        var kills: [String] = []
        var latest = max(0.05, duration * 0.9)
        for _ in 0..<12 {
            let process = try Self.start(scan)
            let delay = Double.random(in: 0.02...latest, using: &generator)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let read = (try? StateStore.open(path: store, create: false).info().files) ?? 0
            kills.append(String(format: "%.0f ms → %d files", delay * 1000, read))
            if read > 0 && read < files { partial += 1 }
            if read == files {
                if partial > 0 { break }
                // The run finished before any kill landed mid-run (this machine's speed drifts): start again from
                // an empty store and kill sooner.
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
                latest = max(0.03, latest / 2)
            }
        }
        let finish = try CommandRunner.run(scan + ["--format", "json"])
        #expect([0, 1].contains(finish.status), "\(finish.standardError)")
        let final = try jsonObject(
            try CommandRunner.run(["keys", "--state", store, "--format", "json"]).standardOutput)
        #expect(Self.eventCounts(final) == expected, "kills: \(kills)")
        let info = try StateStore.open(path: store, create: false).info()
        #expect(info.files == files)
        // The kills must have landed mid-run at least once for this test to mean anything.
        #expect(partial > 0, "kills: \(kills); a full run took \(duration) s")
        let again = try jsonObject(try CommandRunner.run(scan + ["--format", "json"]).standardOutput)
        #expect(Self.stats(again)["files"] as? Int == 0)
    }

    @Test("two scans on one store at once: one waits for the other; nothing is read or emitted twice")
    func concurrentRuns() throws {
        let archive = Self.busyArchive(files: 40)
        let folder = Fixtures.temporaryFolder("cli-concurrent")
        let store = folder + "/state.db"
        let processes = try ["a", "b"].map { name in
            try Self.start([
                "scan", archive.root, "--state", store, "--format", "json", "--output", "\(folder)/\(name).json",
                "--fail-on", "none",
            ])
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let documents = try ["a", "b"].map { name in
            try jsonObject(String(decoding: Fixtures.read("\(folder)/\(name).json"), as: UTF8.self))
        }
        let read = documents.map { Self.stats($0)["files"] as? Int ?? -1 }.sorted()
        #expect(read == [0, 40])
        let emitted = documents.map { Set(Self.findingIDs($0)) }
        #expect(emitted[0].isDisjoint(with: emitted[1]))
        let expected = Self.eventCounts(
            try jsonObject(try CommandRunner.run(["scan", archive.root, "--format", "json"]).standardOutput))
        let final = try jsonObject(
            try CommandRunner.run(["keys", "--state", store, "--format", "json"]).standardOutput)
        #expect(Self.eventCounts(final) == expected)
    }

    @Test("a store held by another scan past --state-wait: exit 2 with a message that says what to do")
    func busyStore() throws {
        let archive = Self.busyArchive(files: 2)
        let store = Fixtures.temporaryFolder("cli-busy") + "/state.db"
        let held = try RunLock(store: store, wait: 0)
        let outcome = try CommandRunner.run(["scan", archive.root, "--state", store, "--state-wait", "0.3"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("\(store) is in use by another keytrail scan (waited 0.3 s)"))
        _ = held
    }
}
