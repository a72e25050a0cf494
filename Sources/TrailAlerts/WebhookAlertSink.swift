import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TrailModel

/// `--webhook URL`: posts findings in batches, signed when a secret is set, retrying what can be retried within a
/// deadline, and reporting every batch it could not deliver so the caller keeps it (``DeliveryReport/undelivered``).
///
/// Batches left from earlier runs (the backlog) go first, in order, with their original delivery ids.
public final class WebhookAlertSink: AlertSink {
    public let target: WebhookTarget
    public var name: String { "webhook \(target.displayName)" }
    private let client: HTTPClient
    private let backlog: [WebhookBatch]
    private let logger: Logger
    private let clock: @Sendable () -> Int64

    /// The `User-Agent` sent.
    public static let userAgent = "keytrail/0.1.0"
    /// The most of a rejecting response's body quoted in the error.
    static let quotedBodyBytes = 512

    /// A sink posting through `client` (which the caller shuts down after every sink is done).
    public init(
        target: WebhookTarget, client: HTTPClient, backlog: [WebhookBatch] = [],
        logger: Logger = Logger(label: "keytrail.webhook"),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.target = target
        self.client = client
        self.backlog = backlog
        self.logger = logger
        self.clock = clock
    }

    public func deliver(_ findings: [Finding]) async -> DeliveryReport {
        var report = DeliveryReport(sink: name)
        let batches = backlog + WebhookBatch.make(findings, for: target, now: clock())
        let deadline = ContinuousClock.now + target.deadline
        for (position, batch) in batches.enumerated() {
            switch await send(batch, deadline: deadline) {
            case .delivered:
                report.deliveredBatches.append(batch.id)
                report.delivered += batch.findingIDs.count
            case .failed(let message, let retryable):
                var kept = batch
                kept.attempts += 1
                kept.lastError = message
                report.undelivered.append(kept)
                report.errors.append("\(name): batch \(batch.id) (\(batch.findingIDs.count) findings): \(message)")
                // Past the deadline, or the receiver refuses: the rest are kept for the next run untried.
                if retryable && ContinuousClock.now >= deadline || !retryable {
                    for rest in batches[(position + 1)...] {
                        var untried = rest
                        untried.lastError = rest.lastError ?? "not sent: \(message)"
                        report.undelivered.append(untried)
                    }
                    if position + 1 < batches.count {
                        report.errors.append("\(name): \(batches.count - position - 1) more batches kept, not sent")
                    }
                    return report
                }
            }
        }
        return report
    }

    enum Outcome {
        case delivered
        /// `retryable` false: the receiver rejected the batch (a 4xx other than 408 and 429, or a redirect).
        case failed(String, retryable: Bool)
    }

    /// Posts one batch, retrying connection errors, timeouts, 408, 429 and 5xx until `deadline`.
    func send(_ batch: WebhookBatch, deadline: ContinuousClock.Instant) async -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .failed("the --webhook-deadline passed", retryable: true) }
            var wait: Duration?
            let failure: String
            do {
                let response = try await client.execute(
                    request(for: batch), timeout: .nanoseconds(Int64(min(remaining, target.requestTimeout).nanoseconds))
                )
                let status = Int(response.status.code)
                let body = await Self.collect(response.body)
                if (200..<300).contains(status) {
                    logger.debug("delivered", metadata: ["batch": "\(batch.id)", "status": "\(status)"])
                    return .delivered
                }
                let quoted = Self.quote(body)
                guard RetryPolicy.isRetryable(status: status) else {
                    return .failed("HTTP \(status) \(response.status.reasonPhrase)\(quoted)", retryable: false)
                }
                failure = "HTTP \(status) \(response.status.reasonPhrase)\(quoted)"
                wait = response.headers.first(name: "Retry-After").flatMap { RetryPolicy.retryAfter($0) }
            } catch {
                failure = Self.describe(error)
            }
            let delay = wait ?? target.retry.delay(attempt: attempt)
            guard ContinuousClock.now + delay < deadline else {
                return .failed(
                    "\(failure) (gave up at the --webhook-deadline after \(attempt) attempts)", retryable: true)
            }
            logger.warning(
                "\(name): \(failure); retrying in \(Self.seconds(delay))",
                metadata: ["batch": "\(batch.id)", "attempt": "\(attempt)"])
            try? await Task.sleep(for: delay)
        }
    }

    func request(for batch: WebhookBatch) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(name: "X-Keytrail-Delivery", value: batch.id)
        if let secret = target.secret {
            request.headers.add(
                name: "X-Keytrail-Signature", value: WebhookSignature.header(body: batch.body, secret: secret))
        }
        request.body = .bytes(ByteBuffer(bytes: batch.body))
        return request
    }

    /// Up to a few KiB of a response body (a receiver's error message), never more.
    static func collect(_ body: HTTPClientResponse.Body) async -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                if bytes.count < 4_096 { bytes += chunk.readableBytesView.prefix(4_096 - bytes.count) }
            }
        } catch {
            // A body cut short still says what it said so far.
        }
        return bytes
    }

    static func quote(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(quotedBodyBytes), as: UTF8.self)
        return ": " + TerminalText.escape(text) + (body.count > quotedBodyBytes ? "…" : "")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no response within the request timeout"
            case .connectTimeout: return "could not connect within the timeout"
            case .remoteConnectionClosed: return "the connection was closed before a response"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
