import TrailModel

/// What the scanned data covers: the accounts and regions it holds and the span of its event times.
///
/// Detections use it to say when the data cannot support a conclusion (a window not covered, no us-east-1 for
/// global IAM and STS events), and reports print it.
public struct Coverage: Sendable, Equatable {
    /// Events by `recipientAccountId`.
    public var accounts: [String: Int] = [:]
    /// Events by `awsRegion`.
    public var regions: [String: Int] = [:]
    /// The earliest `eventTime`.
    public var firstEvent: Int64?
    /// The latest `eventTime`.
    public var lastEvent: Int64?
    /// Valid events in range.
    public var events = 0

    /// Creates empty coverage.
    public init() {}

    /// Merges coverage of another partition of the data.
    public mutating func merge(_ other: Coverage) {
        accounts.merge(other.accounts, uniquingKeysWith: +)
        regions.merge(other.regions, uniquingKeysWith: +)
        firstEvent = [firstEvent, other.firstEvent].compactMap { $0 }.min()
        lastEvent = [lastEvent, other.lastEvent].compactMap { $0 }.max()
        events += other.events
    }
}

/// Tracks ``Coverage`` on the hot path: interned ids, resolved to strings once at the end.
public final class CoverageTracker {
    private let strings = ByteInterner()
    /// Events per interned id (dense from 0; accounts and regions share the interner, so each array has zeros at the
    /// other kind's ids): an index, not a hash, per event.
    @exclusivity(unchecked) private var accountCounts: [Int] = []
    @exclusivity(unchecked) private var regionCounts: [Int] = []
    @exclusivity(unchecked) private var firstEvent = Int64.max
    @exclusivity(unchecked) private var lastEvent = Int64.min
    @exclusivity(unchecked) private var events = 0

    /// Creates an empty tracker.
    public init() {}

    /// Counts one event.
    public func add(_ event: borrowing EventView) {
        events += 1
        if event.eventTime < firstEvent { firstEvent = event.eventTime }
        if event.eventTime > lastEvent { lastEvent = event.eventTime }
        if let account = event.bytes(.recipientAccountId) { Self.count(strings.intern(account), in: &accountCounts) }
        if let region = event.bytes(.awsRegion) { Self.count(strings.intern(region), in: &regionCounts) }
    }

    @inline(__always)
    private static func count(_ id: UInt32, in counts: inout [Int]) {
        let index = Int(id)
        if index >= counts.count { counts += repeatElement(0, count: index + 1 - counts.count) }
        counts[index] += 1
    }

    /// The coverage so far.
    public func finish() -> Coverage {
        var coverage = Coverage()
        for (id, count) in accountCounts.enumerated() where count > 0 {
            coverage.accounts[strings.string(UInt32(id)), default: 0] += count
        }
        for (id, count) in regionCounts.enumerated() where count > 0 {
            coverage.regions[strings.string(UInt32(id)), default: 0] += count
        }
        coverage.firstEvent = events > 0 ? firstEvent : nil
        coverage.lastEvent = events > 0 ? lastEvent : nil
        coverage.events = events
        return coverage
    }
}
