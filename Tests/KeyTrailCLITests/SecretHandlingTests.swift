import Foundation
import Testing
import TrailTestSupport

/// Secrets a user hands keytrail — the webhook signing secret, credentials and tokens in a webhook URL — must not leak
/// into anything keytrail writes: stdout, stderr, reports, or the state store (whose spool keeps undelivered batches).
@Suite("secrets never appear in output, errors, reports or the store")
struct SecretHandlingTests {
    @Test("a failing webhook with credentials, a path token and a query signature, and a signing secret")
    func nothingLeaks() throws {
        let folder = Fixtures.temporaryFolder("cli-secrets")
        let store = folder + "/state.db"
        let report = folder + "/report.html"
        let signingSecret = "signing-s3cret-7f3a"
        Fixtures.write(signingSecret + "\n", to: folder + "/secret")
        let server = try TestWebhookServer(script: Array(repeating: .status(500, body: "upstream down"), count: 100))
        defer { server.shutdown() }
        let url = "http://hook-user:hook-pa55word@127.0.0.1:\(server.port)/services/T0KEN-9c1e/B0T?sig=q5ecret"
        let outcome = try CommandRunner.run([
            "scan", "SampleLogs", "--inventory", Fixtures.sampleLogs + "/credential-report.csv", "--progress", "never",
            "--format", "json", "--state", store, "--report", report, "--webhook", url, "--webhook-deadline", "1",
            "--webhook-secret-file", folder + "/secret",
        ])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("HTTP 500"), "the failure is reported: \(outcome.standardError)")
        #expect(outcome.standardError.contains("http://127.0.0.1"), "with a redacted destination")
        // Everything keytrail wrote, including the SQLite store and its write-ahead log.
        var written = [outcome.standardOutput, outcome.standardError]
        for path in [report, store, store + "-wal"] where FileManager.default.fileExists(atPath: path) {
            written.append(String(decoding: Fixtures.read(path), as: UTF8.self))
        }
        for secret in [signingSecret, "hook-pa55word", "hook-user", "T0KEN-9c1e", "q5ecret"] {
            #expect(!written.contains { $0.contains(secret) }, "\(secret) leaked")
        }
        // The store was created private to its owner.
        let mode = try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
