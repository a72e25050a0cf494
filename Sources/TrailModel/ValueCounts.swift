/// Counts of the distinct values of one dimension of a key's activity (source IPs, user agents, …).
///
/// Exact up to ``capacity`` distinct values. Past that it keeps a bottom-k sample: the `capacity` values with the
/// smallest ``StableHash`` keep exact counts, every other event is added to ``otherCount``, and ``threshold`` (the
/// smallest hash ever dropped) yields an estimate of the number of distinct values (the KMV estimator). Because
/// which values survive depends only on their hashes, merging partial counts in any order or grouping gives the
/// same result, so a scan's output does not depend on how files were spread over workers.
///
/// Entries are kept sorted by value: most sets hold a handful of values, for which a sorted array is smaller and
/// faster than a hash table, and two sets merge in one linear pass.
public struct ValueCounts: Sendable, Equatable {
    /// One distinct value and how many events had it.
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var count: Int

        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// The kept values with exact counts, sorted by value (byte order of UTF-8).
    public private(set) var entries: [Entry]
    /// Events whose value was dropped from ``entries`` once the cap was reached.
    public private(set) var otherCount: Int
    /// The smallest hash dropped; `UInt64.max` while the counts are exact.
    public private(set) var threshold: UInt64
    /// The most distinct values kept; nil for no cap.
    public let capacity: Int?

    /// Creates empty counts.
    /// - Parameter capacity: the cap on distinct values, or nil for exact counts of everything.
    public init(capacity: Int?) {
        self.entries = []
        self.otherCount = 0
        self.threshold = .max
        self.capacity = capacity
    }

    /// Counts whose entries are already distinct, below `threshold` and within `capacity` (an aggregator's
    /// result); only sorts them, which for the usual handful of values is a few comparisons.
    public init(distinctEntries entries: consuming [Entry], otherCount: Int, threshold: UInt64, capacity: Int?) {
        // Sorted in place: the caller hands the array over, where sorting a copy allocated a second one for each of
        // a key's five dimensions.
        var entries = entries
        if entries.count > 1 { entries.sort { $0.value < $1.value } }
        self.init(sortedDistinctEntries: entries, otherCount: otherCount, threshold: threshold, capacity: capacity)
    }

    /// Counts whose entries are already distinct, below `threshold`, within `capacity` and sorted by value (an
    /// aggregator that ordered them on its own ranks of the values): nothing is compared.
    public init(sortedDistinctEntries entries: consuming [Entry], otherCount: Int, threshold: UInt64, capacity: Int?) {
        self.entries = entries
        assert(zip(self.entries, self.entries.dropFirst()).allSatisfy { !($1.value < $0.value) }, "entries not sorted")
        self.otherCount = otherCount
        self.threshold = threshold
        self.capacity = capacity
    }

    /// Rebuilds counts from their parts (stored state, other tools). Duplicate values are summed, and values at or
    /// above the threshold or beyond the capacity are moved to the other count.
    public init(entries: [Entry], otherCount: Int, threshold: UInt64, capacity: Int?) {
        var sorted = entries.sorted { $0.value < $1.value }
        var write = 0
        for read in sorted.indices {
            if write > 0 && sorted[write - 1].value == sorted[read].value {
                sorted[write - 1].count += sorted[read].count
            } else {
                sorted[write] = sorted[read]
                write += 1
            }
        }
        sorted.removeLast(sorted.count - write)
        self.entries = sorted
        self.otherCount = otherCount
        self.threshold = threshold
        self.capacity = capacity
        if threshold != .max { dropValues(hashingAtOrAbove: threshold) }
        enforceCapacity()
    }

    /// Whether values were dropped because of the cap.
    public var isTruncated: Bool { threshold != .max }

    /// The number of distinct values: exact while not truncated, else an estimate.
    public var distinctCount: Int {
        guard isTruncated, let capacity else { return entries.count }
        let fraction = Double(threshold) / Double(UInt64.max)
        guard fraction > 0 else { return entries.count }
        return max(entries.count + 1, Int((Double(capacity) / fraction).rounded()))
    }

    /// The total number of events counted.
    public var total: Int { entries.reduce(otherCount) { $0 + $1.count } }

    /// The count of `value`, or nil if it is not kept.
    public subscript(value: String) -> Int? {
        let index = insertionIndex(of: value)
        return index < entries.count && entries[index].value == value ? entries[index].count : nil
    }

    /// The counts as a dictionary.
    public var dictionary: [String: Int] { Dictionary(uniqueKeysWithValues: entries.map { ($0.value, $0.count) }) }

    /// The kept values, most frequent first (ties by value).
    public var sortedByCount: [Entry] {
        entries.count < 2 ? entries : entries.sorted(by: Self.ranksBefore)
    }

    /// The first of ``sortedByCount`` without sorting the rest: the most frequent value (ties by value).
    public var mostFrequent: Entry? { entries.min(by: Self.ranksBefore) }

    /// ``sortedByCount``'s order: most frequent first, ties by value.
    @inline(__always)
    static func ranksBefore(_ a: Entry, _ b: Entry) -> Bool {
        a.count != b.count ? a.count > b.count : a.value < b.value
    }

    /// Adds `count` events with `value`.
    public mutating func add(_ value: String, count: Int = 1) {
        let index = insertionIndex(of: value)
        if index < entries.count && entries[index].value == value {
            entries[index].count += count
            return
        }
        if capacity != nil && threshold != .max && StableHash.hash(value) >= threshold {
            otherCount += count
            return
        }
        entries.insert(Entry(value: value, count: count), at: index)
        enforceCapacity()
    }

    /// Merges another set of counts of the same dimension.
    public mutating func merge(_ other: ValueCounts) {
        otherCount += other.otherCount
        let newThreshold = min(threshold, other.threshold)
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + other.entries.count)
        var i = 0
        var j = 0
        while i < entries.count || j < other.entries.count {
            let entry: Entry
            if j == other.entries.count || (i < entries.count && entries[i].value < other.entries[j].value) {
                entry = entries[i]
                i += 1
            } else if i == entries.count || other.entries[j].value < entries[i].value {
                entry = other.entries[j]
                j += 1
            } else {
                entry = Entry(value: entries[i].value, count: entries[i].count + other.entries[j].count)
                i += 1
                j += 1
            }
            if newThreshold != .max && StableHash.hash(entry.value) >= newThreshold {
                otherCount += entry.count
            } else {
                merged.append(entry)
            }
        }
        entries = merged
        threshold = newThreshold
        enforceCapacity()
    }

    private func insertionIndex(of value: String) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].value < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func dropValues(hashingAtOrAbove limit: UInt64) {
        entries.removeAll { entry in
            guard StableHash.hash(entry.value) >= limit else { return false }
            otherCount += entry.count
            return true
        }
    }

    private mutating func enforceCapacity() {
        guard let capacity, entries.count > capacity else { return }
        let ranked = entries.indices.map { (hash: StableHash.hash(entries[$0].value), index: $0) }.sorted {
            $0.hash < $1.hash
        }
        var drop = Set<Int>()
        for entry in ranked[capacity...] {
            drop.insert(entry.index)
            otherCount += entries[entry.index].count
        }
        threshold = min(threshold, ranked[capacity].hash)
        entries = entries.indices.filter { !drop.contains($0) }.map { entries[$0] }
    }
}
