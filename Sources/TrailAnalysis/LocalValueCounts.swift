import TrailModel

/// A worker's counts of one dimension of one key, by interned id: the hot-path twin of ``ValueCounts``.
///
/// With a cap, it keeps the values with the smallest stable hashes exactly (bottom-k), as ``ValueCounts`` does,
/// and interns a new value only if it is admitted, so the interner grows with what keys keep, not with the archive.
struct LocalValueCounts {
    var counts = SmallIDCounts()
    var otherCount = 0
    /// The smallest stable hash dropped; `.max` while exact.
    var threshold: UInt64 = .max
    /// The entry with the largest stable hash, once the cap is reached.
    private var largest: (id: UInt64, hash: UInt64)?

    /// Counts one event with the value `bytes`.
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, cap: Int?, space: ValueSpace) {
        guard let base = bytes.baseAddress else { return }
        guard let cap, counts.count >= cap else {
            let id = space.id(base, count: bytes.count)
            if !counts.incrementIfPresent(id) { counts.insert(id, count: 1) }
            return
        }
        if let known = space.existingID(base, count: bytes.count), counts.incrementIfPresent(known) { return }
        addBeyondCap(base, count: bytes.count, space: space)
    }

    /// The slow path once the cap is reached: admit the value only if its hash is among the `cap` smallest.
    private mutating func addBeyondCap(_ base: UnsafePointer<UInt8>, count: Int, space: ValueSpace) {
        let hash = StableHash.hash(base, count: count)
        if hash >= threshold {
            otherCount += 1
            return
        }
        let current = largest ?? findLargest(space)
        if hash >= current.hash {
            threshold = hash
            otherCount += 1
            largest = current
            return
        }
        otherCount += counts.remove(current.id)
        threshold = current.hash
        counts.insert(space.id(base, count: count), count: 1)
        largest = findLargest(space)
    }

    /// Merges counts kept by another aggregator, whose ids belong to `source`, into these (ids of `target`).
    ///
    /// The same bottom-k rule as ``ValueCounts/merge(_:)``: the lower threshold wins, values at or above it go to
    /// the other count, and the cap is enforced by dropping the largest hashes. Only admitted values are interned.
    mutating func absorb(
        _ other: LocalValueCounts, cap: Int?, source: ValueSpace, target: ValueSpace, remap: inout IDRemap
    ) {
        otherCount += other.otherCount
        guard let cap else {
            other.counts.forEach { id, count in counts.add(source.translate(id, into: target, remap: &remap), count) }
            return
        }
        let limit = min(threshold, other.threshold)
        if limit < threshold {
            var dropped: [UInt64] = []
            counts.forEach { id, _ in if target.stableHash(id) >= limit { dropped.append(id) } }
            for id in dropped { otherCount += counts.remove(id) }
            threshold = limit
        }
        other.counts.forEach { id, count in
            if limit != .max && source.stableHash(id) >= limit {
                otherCount += count
            } else {
                counts.add(source.translate(id, into: target, remap: &remap), count)
            }
        }
        largest = nil
        while counts.count > cap {
            let victim = findLargest(target)
            otherCount += counts.remove(victim.id)
            threshold = min(threshold, victim.hash)
        }
    }

    private func findLargest(_ space: ValueSpace) -> (id: UInt64, hash: UInt64) {
        var best: (id: UInt64, hash: UInt64) = (0, 0)
        counts.forEach { id, _ in
            let hash = space.stableHash(id)
            if hash >= best.hash { best = (id, hash) }
        }
        return best
    }

    /// The counts as strings.
    func resolved(_ strings: ResolvedStrings, cap: Int?) -> ValueCounts {
        let entries = counts.map { id, count in
            ValueCounts.Entry(
                value: id & ValueSpace.literalFlag != 0
                    ? ValueSpace.formatIPv4(UInt32(truncatingIfNeeded: id)) : strings[UInt32(id)],
                count: count)
        }
        return ValueCounts(distinctEntries: entries, otherCount: otherCount, threshold: threshold, capacity: cap)
    }
}

/// Translates one interner's ids into another's, interning each string at most once.
struct IDRemap {
    private var mapped: [UInt32] = []

    mutating func id(_ id: UInt32, from source: ByteInterner, into target: ByteInterner) -> UInt32 {
        let index = Int(id)
        if index >= mapped.count { mapped += repeatElement(UInt32.max, count: source.count - mapped.count) }
        if mapped[index] != .max { return mapped[index] }
        let translated = target.intern(source.bytes(id))
        mapped[index] = translated
        return translated
    }
}

/// Interned ids turned into `String`s once each, shared by every key that uses them.
final class ResolvedStrings {
    private let interner: ByteInterner
    private var cache: [String?]

    init(_ interner: ByteInterner) {
        self.interner = interner
        self.cache = []
    }

    subscript(id: UInt32) -> String {
        if cache.count < interner.count { cache += repeatElement(nil, count: interner.count - cache.count) }
        if let cached = cache[Int(id)] { return cached }
        let string = interner.string(id)
        cache[Int(id)] = string
        return string
    }
}
