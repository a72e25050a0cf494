import AsyncHTTPClient
import Foundation
import Testing
import TrailAlerts
import TrailModel
import TrailTestSupport

@Suite("WebhookAlertSink against a real local server with faults", .serialized)
struct WebhookSinkTests {
    static let secret = Array("correct horse battery staple".utf8)

    /// A target with short timeouts so the fault tests stay quick.
    static func target(
        _ url: String, deadline: Duration = .seconds(5), timeout: Duration = .seconds(2)
    ) throws
        -> WebhookTarget
    {
        try WebhookTarget(
            url: url, secret: secret, deadline: deadline, requestTimeout: timeout,
            retry: RetryPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(200)))
    }

    static func deliver(
        _ findings: [Finding], to target: WebhookTarget, backlog: [WebhookBatch] = []
    ) async throws -> DeliveryReport {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let report = await WebhookAlertSink(target: target, client: client, backlog: backlog).deliver(findings)
        try await client.shutdown()
        return report
    }

    @Test("batches of at most 100 findings, signed, with the documented headers; each finding arrives once")
    func batchesAndHeaders() async throws {
        let findings = manyFindings(250, from: await sampleScan().findings)
        let server = try TestWebhookServer()
        defer { server.shutdown() }
        let report = try await Self.deliver(findings, to: try Self.target(server.url()))
        #expect(report.isComplete)
        #expect(report.delivered == 250)
        let requests = server.requests
        #expect(requests.map { TestWebhookServer.findingIDs(in: $0.body).count } == [100, 100, 50])
        #expect(server.deliveredFindingIDs() == findings.map(\.id))
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.path == "/hook")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("User-Agent") == "keytrail/0.1.0")
            let signature = try #require(request.header("X-Keytrail-Signature"))
            #expect(WebhookSignature.verify(header: signature, body: request.body, secret: Self.secret))
            #expect(!WebhookSignature.verify(header: signature, body: request.body, secret: Array("wrong".utf8)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(object["schema"] as? String == "keytrail.alerts/1")
        }
        #expect(Set(requests.compactMap { $0.header("X-Keytrail-Delivery") }).count == 3)
    }

    @Test("503 twice then 200: three attempts with one delivery id, delivered once")
    func serverErrorsThenSuccess() async throws {
        let findings = Array(await sampleScan().findings.prefix(5))
        let server = try TestWebhookServer(script: [.status(503), .status(503, body: "busy")])
        defer { server.shutdown() }
        // A deadline that sanitizer builds (several times slower) also meet; a normal run takes well under a second.
        let report = try await Self.deliver(findings, to: try Self.target(server.url(), deadline: .seconds(30)))
        #expect(report.isComplete)
        let requests = server.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.header("X-Keytrail-Delivery") }).count == 1)
        #expect(Set(requests.map(\.body)).count == 1)
        #expect(server.deliveredFindingIDs() == findings.map(\.id))
    }

    @Test("429 with Retry-After: the client waits as asked before trying again")
    func retryAfter() async throws {
        let findings = Array(await sampleScan().findings.prefix(2))
        let server = try TestWebhookServer(script: [.status(429, retryAfter: "1")])
        defer { server.shutdown() }
        let started = ContinuousClock.now
        let report = try await Self.deliver(findings, to: try Self.target(server.url()))
        #expect(report.isComplete)
        #expect(server.requests.count == 2)
        // The backoff alone would retry within 200 ms; only Retry-After makes it wait a second.
        #expect(ContinuousClock.now - started >= .milliseconds(950))
    }

    @Test("a connection that never answers times out and is retried; the batch arrives once")
    func hungConnection() async throws {
        let findings = Array(await sampleScan().findings.prefix(3))
        let server = try TestWebhookServer(script: [.hang])
        defer { server.shutdown() }
        let report = try await Self.deliver(
            findings, to: try Self.target(server.url(), deadline: .seconds(6), timeout: .milliseconds(500)))
        #expect(report.isComplete, "\(report.errors)")
        #expect(server.requests.count == 2)
        #expect(server.deliveredFindingIDs() == findings.map(\.id))
    }

    @Test("a closed port: retried until the deadline, then every batch is handed back to be kept")
    func closedPort() async throws {
        let findings = manyFindings(150, from: await sampleScan().findings)
        let port = try TestWebhookServer.closedPort()
        let report = try await Self.deliver(
            findings,
            to: try Self.target("http://127.0.0.1:\(port)/hook", deadline: .seconds(1), timeout: .milliseconds(300)))
        #expect(!report.isComplete)
        #expect(report.delivered == 0)
        #expect(report.undelivered.flatMap(\.findingIDs) == findings.map(\.id))
        #expect(report.undelivered.first?.attempts == 1)
        #expect(report.errors.first?.contains("127.0.0.1") == true)
    }

    @Test("400 is not retried: the error quotes the status and body, and the batches are kept")
    func clientError() async throws {
        let findings = manyFindings(120, from: await sampleScan().findings)
        let server = try TestWebhookServer(script: [.status(400, body: "invalid payload: missing text")])
        defer { server.shutdown() }
        let report = try await Self.deliver(findings, to: try Self.target(server.url()))
        #expect(server.requests.count == 1)
        #expect(report.undelivered.count == 2)
        #expect(report.undelivered.flatMap(\.findingIDs) == findings.map(\.id))
        let error = try #require(report.errors.first)
        #expect(error.contains("HTTP 400 Bad Request: invalid payload: missing text"))
    }

    @Test("batches kept from an earlier run go first, with their original delivery id and body")
    func backlogFirst() async throws {
        let findings = await sampleScan().findings
        let port = try TestWebhookServer.closedPort()
        let failed = try await Self.deliver(
            Array(findings.prefix(4)),
            to: try Self.target(
                "http://127.0.0.1:\(port)/hook", deadline: .milliseconds(500), timeout: .milliseconds(200)))
        let kept = try #require(failed.undelivered.first)

        let server = try TestWebhookServer()
        defer { server.shutdown() }
        let report = try await Self.deliver(
            Array(findings.suffix(3)), to: try Self.target(server.url()), backlog: [kept])
        #expect(report.isComplete)
        #expect(report.deliveredBatches.first == kept.id)
        #expect(server.requests.first?.header("X-Keytrail-Delivery") == kept.id)
        #expect(server.requests.first?.body == kept.body)
        #expect(server.deliveredFindingIDs() == findings.prefix(4).map(\.id) + findings.suffix(3).map(\.id))
    }
}
