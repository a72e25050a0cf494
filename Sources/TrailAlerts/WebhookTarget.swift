import Crypto
import Foundation

/// Where and how a webhook sink posts: the URL, the body format, the signing secret and the limits.
public struct WebhookTarget: Sendable {
    /// The URL as given (it may carry a token: it is never logged or stored as is).
    public let url: String
    public var format: WebhookFormat
    /// The HMAC-SHA256 key for `X-Keytrail-Signature`, if any.
    public var secret: [UInt8]?
    /// The time all deliveries of one run may take, retries included.
    public var deadline: Duration
    /// The longest one request may take.
    public var requestTimeout: Duration
    /// Findings per batch (Slack bodies hold fewer: a message has at most 50 blocks).
    public var maxFindingsPerBatch: Int
    /// Bytes per batch body.
    public var maxBatchBytes: Int
    /// Backoff between retries: the first delay, doubled each time up to the cap, with jitter.
    public var retry: RetryPolicy

    /// Describes a target with the documented defaults.
    /// - Throws: ``WebhookError`` when the URL is not an absolute http or https URL.
    public init(
        url: String, format: WebhookFormat = .generic, secret: [UInt8]? = nil, deadline: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(10), maxFindingsPerBatch: Int = 100, maxBatchBytes: Int = 1 << 20,
        retry: RetryPolicy = RetryPolicy()
    ) throws(WebhookError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else {
            throw WebhookError(.badURL, "--webhook \(WebhookTarget.redact(url)): not an http:// or https:// URL")
        }
        self.url = url
        self.format = format
        self.secret = secret
        self.deadline = deadline
        self.requestTimeout = requestTimeout
        self.maxFindingsPerBatch = max(1, format == .slack ? min(maxFindingsPerBatch, 20) : maxFindingsPerBatch)
        self.maxBatchBytes = max(1_024, maxBatchBytes)
        self.retry = retry
    }

    /// The same target with at most 10 seconds for all deliveries and 5 for one request: what a run stopped by a
    /// signal can still afford before it exits.
    public var withInterruptionDeadlines: WebhookTarget {
        var copy = self
        copy.deadline = min(deadline, .seconds(10))
        copy.requestTimeout = min(requestTimeout, .seconds(5))
        return copy
    }

    /// The URL without credentials, path tokens or query, for messages: `https://hooks.slack.com/…`.
    public var displayName: String { Self.redact(url) }

    /// A stable identity for the undelivered-batch spool that does not reveal the URL: SHA-256 of it, in hex.
    public var destinationID: String {
        SHA256.hash(data: Array(url.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func redact(_ url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else {
            return "(an unparsable URL)"
        }
        let port = parsed.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)" + (parsed.path.isEmpty || parsed.path == "/" ? "/" : "/…")
    }
}

/// The body a webhook gets.
public enum WebhookFormat: String, Sendable, CaseIterable {
    /// `{"schema":"keytrail.alerts/1","findings":[…]}`.
    case generic
    /// A Slack incoming-webhook message with blocks.
    case slack
}

/// Why a webhook could not be set up or used: a message that says what to do.
public struct WebhookError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case badURL, badSecret }
    public let kind: Kind
    private let detail: String

    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }
}
