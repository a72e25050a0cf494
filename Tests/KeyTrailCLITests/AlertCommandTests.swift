import Foundation
import Testing
import TrailAlerts
import TrailModel
import TrailStore
import TrailTestSupport

@Suite("keytrail scan with webhooks, JSON lines, colour and reports, as cron runs it", .serialized)
struct AlertCommandTests {
    static let inventory = Fixtures.sampleLogs + "/credential-report.csv"
    static let scan = ["scan", "SampleLogs", "--inventory", inventory, "--progress", "never"]

    static func ids(inJSONLines text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            (try? JSONValue.parse(String(line))).flatMap(Finding.init(json:))?.id
        }
    }

    @Test("--format jsonl: exactly one finding per line on stdout, nothing else")
    func jsonLines() throws {
        let outcome = try CommandRunner.run(Self.scan + ["--format", "jsonl"])
        #expect(outcome.status == 1)
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 22)
        #expect(Self.ids(inJSONLines: outcome.standardOutput).count == 21)
    }

    @Test("--color: always colours even a pipe, auto leaves a pipe plain, NO_COLOR keeps auto plain")
    func color() throws {
        let always = try CommandRunner.run(Self.scan + ["--color", "always"])
        #expect(always.standardOutput.contains("\u{1B}[1;31mCRITICAL\u{1B}[0m"))
        let auto = try CommandRunner.run(Self.scan, environment: ["NO_COLOR": "1"])
        #expect(!auto.standardOutput.contains("\u{1B}"))
        #expect(auto.standardOutput.contains("\nCRITICAL\n"))
    }

    @Test("a webhook down: the batch is kept in the store (exit 4), then sent first and once when it is back")
    func spoolAcrossRuns() throws {
        let folder = Fixtures.temporaryFolder("cli-webhook")
        let store = folder + "/state.db"
        let secret = "s3cret-for-tests"
        Fixtures.write(secret + "\n", to: folder + "/secret")
        let server = try TestWebhookServer(script: Array(repeating: .status(503), count: 1_000))
        defer { server.shutdown() }
        let arguments = [
            "--webhook", server.url(), "--webhook-deadline", "1", "--webhook-secret-file", folder + "/secret",
            "--state", store, "--fail-on", "none", "--format", "json", "--output", "/dev/null",
        ]
        let first = try CommandRunner.run(Self.scan + arguments)
        #expect(first.status == 4, "\(first.standardError)")
        #expect(first.standardError.contains("HTTP 503"))
        #expect(first.standardError.contains("1 webhook batches are kept in the state store"))
        let kept = try StateStore.open(path: store, create: false)
            .spooled(for: try WebhookTarget(url: server.url()).destinationID)
        #expect(kept.count == 1)
        #expect(kept.first?.findingIDs.count == 21)
        #expect(server.deliveredFindingIDs().isEmpty)
        // The findings count as emitted: kept for the webhook, not lost, and not emitted twice.
        #expect(try StateStore.open(path: store, create: false).alerts(status: .open).count == 21)

        // The webhook is back: the next night's run sends the kept batch first, with its delivery id, and has
        // nothing new to add.
        server.setScript([])
        let second = try CommandRunner.run(Self.scan + arguments)
        #expect(second.status == 0, "\(second.standardError)")
        let delivered = server.requests.filter {
            if case .status(200, _, _) = $0.reply { return true } else { return false }
        }
        #expect(delivered.count == 1)
        #expect(delivered.first?.header("X-Keytrail-Delivery") == kept.first?.batchID)
        let signature = try #require(delivered.first?.header("X-Keytrail-Signature"))
        #expect(WebhookSignature.verify(header: signature, body: delivered[0].body, secret: Array(secret.utf8)))
        #expect(server.deliveredFindingIDs().count == 21)
        #expect(Set(server.deliveredFindingIDs()).count == 21)
        #expect(try StateStore.open(path: store, create: false).info().spooledBatches == 0)
    }

    @Test("without --state, an undelivered batch exits 4 and its findings go to stderr as JSON lines")
    func noStateFallback() throws {
        let port = try TestWebhookServer.closedPort()
        let outcome = try CommandRunner.run(
            Self.scan + [
                "--webhook", "http://127.0.0.1:\(port)/hook", "--webhook-deadline", "1", "--fail-on", "none",
                "--format", "json", "--output", "/dev/null",
            ])
        #expect(outcome.status == 4)
        #expect(outcome.standardError.contains("21 findings were not delivered to a webhook (no --state to keep them)"))
        #expect(Self.ids(inJSONLines: outcome.standardError).count == 21)
    }

    @Test("keytrail report from the store: findings to act on, suppressed ones counted; HTML and JSON to files")
    func reportFromStore() throws {
        let folder = Fixtures.temporaryFolder("cli-report")
        let store = folder + "/state.db"
        _ = try CommandRunner.run(Self.scan + ["--state", store, "--format", "json", "--output", "/dev/null"])
        let markdown = try CommandRunner.run(["report", "--state", store])
        #expect(markdown.status == 0)
        #expect(markdown.standardOutput.hasPrefix("# keytrail report\n\nGenerated "))
        #expect(markdown.standardOutput.contains("from state store \(store)"))
        #expect(markdown.standardOutput.contains("21 findings: 2 critical, 11 high, 6 medium, 2 low."))
        #expect(markdown.standardOutput.contains("- 197 files, 2889 records"))

        let ledger = try StateStore.open(path: store, create: false)
        let root = try #require(ledger.alerts().first { $0.rule == "root-access-key" })
        try ledger.suppress(root.id, reason: "break-glass", until: nil)
        let after = try CommandRunner.run(["report", "--state", store, "--format", "markdown"])
        #expect(
            after.standardOutput.contains(
                "20 findings: 1 critical, 11 high, 6 medium, 2 low (1 suppressed, not listed)."))

        let html = try CommandRunner.run([
            "report", "--state", store, "--format", "html", "--output", folder + "/r.html",
        ])
        #expect(html.status == 0)
        #expect(String(decoding: Fixtures.read(folder + "/r.html"), as: UTF8.self).hasPrefix("<!DOCTYPE html>"))
        let json = try CommandRunner.run(["report", "--state", store, "--format", "json"])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "keytrail.report/1")

        let oneOff = try CommandRunner.run(
            Self.scan + ["--report", folder + "/scan.md", "--format", "json", "--output", "/dev/null"])
        #expect(oneOff.status == 1)
        #expect(String(decoding: Fixtures.read(folder + "/scan.md"), as: UTF8.self).contains("from scan of SampleLogs"))
        let badName = try CommandRunner.run(Self.scan + ["--report", folder + "/scan.txt"])
        #expect(badName.status == 2)
        #expect(badName.standardError.contains("name the file .md, .html or .json"))
    }
}
