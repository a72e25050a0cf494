/// Counts of the distinct values of one dimension of a key's activity (source IPs, user agents, …).
///
/// Exact up to ``capacity`` distinct values. Past that it keeps a bottom-k sample: the `capacity` values with the
/// smallest ``StableHash`` keep exact counts, every other event is added to ``otherCount``, and ``threshold`` (the
/// smallest hash ever dropped) yields an estimate of the number of distinct values (the KMV estimator). Because
/// which values survive depends only on their hashes, merging partial counts in any order or grouping gives the
/// same result, so a scan's output does not depend on how files were spread over workers.
public struct ValueCounts: Sendable, Equatable {
    /// Exact counts of the kept values.
    public private(set) var counts: [String: Int]
    /// Events whose value was dropped from ``counts`` once the cap was reached.
    public private(set) var otherCount: Int
    /// The smallest hash dropped; `UInt64.max` while the counts are exact.
    public private(set) var threshold: UInt64
    /// The most distinct values kept; nil for no cap.
    public let capacity: Int?

    /// Creates empty counts.
    /// - Parameter capacity: the cap on distinct values, or nil for exact counts of everything.
    public init(capacity: Int?) {
        self.counts = [:]
        self.otherCount = 0
        self.threshold = .max
        self.capacity = capacity
    }

    /// Rebuilds counts from their parts (used when converting worker-local aggregates and reading stored state).
    public init(counts: [String: Int], otherCount: Int, threshold: UInt64, capacity: Int?) {
        self.counts = counts
        self.otherCount = otherCount
        self.threshold = threshold
        self.capacity = capacity
        enforceCapacity()
    }

    /// Whether values were dropped because of the cap.
    public var isTruncated: Bool { threshold != .max }

    /// The number of distinct values: exact while not truncated, else an estimate.
    public var distinctCount: Int {
        guard isTruncated, let capacity else { return counts.count }
        let fraction = Double(threshold) / Double(UInt64.max)
        guard fraction > 0 else { return counts.count }
        return max(counts.count + 1, Int((Double(capacity) / fraction).rounded()))
    }

    /// The total number of events counted.
    public var total: Int { counts.values.reduce(otherCount, +) }

    /// The kept values, most frequent first (ties by value).
    public var sortedByCount: [(value: String, count: Int)] {
        counts.map { (value: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)
        }
    }

    /// Adds `count` events with `value`.
    public mutating func add(_ value: String, count: Int = 1) {
        if let existing = counts[value] {
            counts[value] = existing + count
            return
        }
        guard capacity != nil else {
            counts[value] = count
            return
        }
        if threshold != .max && StableHash.hash(value) >= threshold {
            otherCount += count
            return
        }
        counts[value] = count
        enforceCapacity()
    }

    /// Merges another set of counts of the same dimension.
    public mutating func merge(_ other: ValueCounts) {
        otherCount += other.otherCount
        let newThreshold = min(threshold, other.threshold)
        if newThreshold != threshold {
            threshold = newThreshold
            dropValues(hashingAtOrAbove: newThreshold)
        }
        for (value, count) in other.counts {
            if newThreshold != .max && StableHash.hash(value) >= newThreshold {
                otherCount += count
            } else {
                counts[value, default: 0] += count
            }
        }
        enforceCapacity()
    }

    private mutating func dropValues(hashingAtOrAbove limit: UInt64) {
        for (value, count) in counts where StableHash.hash(value) >= limit {
            counts[value] = nil
            otherCount += count
        }
    }

    private mutating func enforceCapacity() {
        guard let capacity, counts.count > capacity else { return }
        let ranked = counts.keys.map { (hash: StableHash.hash($0), value: $0) }.sorted { $0.hash < $1.hash }
        for entry in ranked[capacity...] {
            otherCount += counts.removeValue(forKey: entry.value) ?? 0
        }
        threshold = min(threshold, ranked[capacity].hash)
    }
}
