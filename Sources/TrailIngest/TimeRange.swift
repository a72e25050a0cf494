import TrailModel

/// An inclusive range of event times, either end open: `--since` / `--until`.
public struct TimeRange: Sendable, Equatable {
    /// The earliest `eventTime` kept, seconds since the epoch.
    public var since: Int64?
    /// The latest `eventTime` kept.
    public var until: Int64?

    /// Creates a range; nil ends are open.
    public init(since: Int64? = nil, until: Int64? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether the range keeps everything.
    public var isUnbounded: Bool { since == nil && until == nil }

    /// Whether `time` lies in the range.
    @inlinable
    public func contains(_ time: Int64) -> Bool {
        if let since, time < since { return false }
        if let until, time > until { return false }
        return true
    }

    /// Whether a file whose events lie within `possible` can hold events in the range.
    public func overlaps(_ possible: ClosedRange<Int64>) -> Bool {
        if let since, possible.upperBound < since { return false }
        if let until, possible.lowerBound > until { return false }
        return true
    }
}
