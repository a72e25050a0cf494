import Foundation

/// When to retry a webhook request and how long to wait: exponential backoff with jitter, or what `Retry-After`
/// says.
public struct RetryPolicy: Sendable {
    /// The delay before the first retry.
    public var initialDelay: Duration
    /// The longest delay between attempts (a `Retry-After` may ask for more; the deadline decides).
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Whether a response status is worth retrying: request timeout, too many requests, and server errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500..<600).contains(status)
    }

    /// The delay before retry number `attempt` (1 for the first): the initial delay doubled each time, capped, and
    /// scaled by a random factor in [0.5, 1] so many clients do not retry in step.
    public func delay(attempt: Int, random: Double = Double.random(in: 0.5...1)) -> Duration {
        let base = initialDelay * (1 << min(max(attempt - 1, 0), 20))
        let capped = min(base, maximumDelay)
        return capped * random
    }

    /// The delay a `Retry-After` header asks for: seconds, or an HTTP date (then from `now`); nil if unparsable.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1_000)))
    }
}
