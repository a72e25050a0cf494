import Foundation
import Testing
import TrailAlerts
import TrailModel
import TrailTestSupport

@Suite("Webhook bodies, signatures and retry timing")
struct WebhookBodyTests {
    @Test("HMAC-SHA256 signature: the published test vector, and verification in constant time")
    func signature() {
        let header = WebhookSignature.header(
            body: Array("The quick brown fox jumps over the lazy dog".utf8), secret: Array("key".utf8))
        #expect(header == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
        #expect(
            WebhookSignature.verify(
                header: header, body: Array("The quick brown fox jumps over the lazy dog".utf8),
                secret: Array("key".utf8)))
        #expect(
            !WebhookSignature.verify(
                header: header, body: Array("The quick brown fox jumps over the lazy cat".utf8),
                secret: Array("key".utf8)))
    }

    @Test("batches stay under the byte limit, a lone oversized finding goes alone, and order is kept")
    func byteLimit() async throws {
        var findings = manyFindings(30, from: await sampleScan().findings)
        findings[7].evidence = .object([.init("blob", .string(String(repeating: "x", count: 5_000)))])
        let target = try WebhookTarget(url: "https://hooks.example.com/keytrail", maxBatchBytes: 4_096)
        let batches = WebhookBatch.make(findings, for: target, now: 1_800_000_000)
        #expect(batches.flatMap(\.findingIDs) == findings.map(\.id))
        #expect(batches.contains { $0.findingIDs == [findings[7].id] })
        for batch in batches where batch.findingIDs.count > 1 { #expect(batch.body.count <= 4_096 + 64) }
        // Delivery ids are stable for the same batch and differ between batches.
        let again = WebhookBatch.make(findings, for: target, now: 1_800_000_000)
        #expect(again.map(\.id) == batches.map(\.id))
        #expect(Set(batches.map(\.id)).count == batches.count)
    }

    @Test("Slack messages: at most 20 findings each, blocks under 50, and log values cannot add links or mentions")
    func slack() async throws {
        var findings = manyFindings(45, from: await sampleScan().findings)
        findings[0].title = "Key used by <!channel> <https://evil.example|click here> & more"
        let target = try WebhookTarget(url: "https://hooks.slack.com/services/T0/B0/XYZ", format: .slack)
        let batches = WebhookBatch.make(findings, for: target, now: 1_800_000_000)
        #expect(batches.map(\.findingIDs.count) == [20, 20, 5])
        let message = try #require(try JSONSerialization.jsonObject(with: Data(batches[0].body)) as? [String: Any])
        let blocks = try #require(message["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        #expect((message["text"] as? String)?.hasPrefix("keytrail: 20 findings (") == true)
        let section = try #require((blocks[1]["text"] as? [String: Any])?["text"] as? String)
        #expect(section.contains("&lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more"))
        #expect(!section.contains("<!channel>"))
        #expect(section.contains("*Fix*"))
    }

    @Test("URLs: only http and https; messages and the spool never show the URL's token")
    func urls() throws {
        let target = try WebhookTarget(url: "https://hooks.slack.com/services/T0/B0/SECRETTOKEN")
        #expect(target.displayName == "https://hooks.slack.com/…")
        #expect(!target.destinationID.contains("SECRETTOKEN"))
        #expect(target.destinationID.count == 64)
        let bad = #expect(throws: WebhookError.self) { try WebhookTarget(url: "ftp://example.com/x") }
        #expect(bad?.description.contains("not an http:// or https:// URL") == true)
        #expect(throws: WebhookError.self) { try WebhookTarget(url: "hooks.example.com/x") }
    }

    @Test("backoff doubles from the first delay up to the cap, with jitter; Retry-After in seconds or as a date")
    func retryTiming() {
        let policy = RetryPolicy(initialDelay: .milliseconds(500), maximumDelay: .seconds(8))
        #expect(policy.delay(attempt: 1, random: 1) == .milliseconds(500))
        #expect(policy.delay(attempt: 3, random: 1) == .seconds(2))
        #expect(policy.delay(attempt: 10, random: 1) == .seconds(8))
        #expect(policy.delay(attempt: 3, random: 0.5) == .seconds(1))
        #expect([408, 429, 500, 503].allSatisfy(RetryPolicy.isRetryable(status:)))
        #expect(![400, 401, 403, 404, 301].contains(where: RetryPolicy.isRetryable(status:)))
        #expect(RetryPolicy.retryAfter("7") == .seconds(7))
        // 2027-01-15T08:00:00Z is 1,800,000,000 seconds after the epoch.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryPolicy.retryAfter("Fri, 15 Jan 2027 08:00:10 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.retryAfter("Fri, 15 Jan 2027 07:59:00 GMT", now: now) == .zero)
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
    }
}
