import CPrefetch
import TrailModel

/// A worker's counts of one dimension of one key, by interned id: the hot-path twin of ``ValueCounts``.
///
/// One cache line: the first four ids with their counts inline (most keys use one to three source IPs, user
/// agents and regions, so counting them needs no heap access and no hash), the number of distinct ids, and what few
/// keys need: further ids in an ``IDCountTable``, whose header also holds the bottom-k sampling state past a cap.
/// Fifty thousand keys stay in tens of megabytes, and an event touches one line per dimension (two for a value
/// beyond the inline four: the table's slot).
///
/// With a cap, it keeps the values with the smallest stable hashes exactly (bottom-k), as ``ValueCounts`` does,
/// and interns a new value only if it is admitted, so the interner grows with what keys keep, not with the archive.
///
/// Not copyable: it owns its table.
struct LocalValueCounts: ~Copyable {
    // Declared in this order so that the 9-byte table and the two counts share the line's last 16 bytes.
    private var inlineIDs = InlineArray<4, UInt64>(repeating: 0)
    /// Inline counts fit 32 bits; a count that would pass that moves to the table, whose counts are `Int`.
    private var inlineCounts = InlineArray<4, UInt32>(repeating: 0)
    /// Ids beyond the inline four, and the sampling state once the cap is reached.
    private var overflow = IDCountTable()
    private var inlineCount: UInt8 = 0
    private var distinct: UInt32 = 0

    /// The number of distinct ids kept.
    var count: Int { Int(distinct) }
    /// Events whose value was not kept.
    var otherCount: Int { overflow.sampling.otherCount }
    /// The smallest stable hash dropped; `.max` while exact.
    var threshold: UInt64 { overflow.sampling.threshold }

    /// Starts loading the values beyond the inline four, if any.
    @inline(__always)
    func prefetchOverflow() { overflow.prefetch() }

    /// Counts one event with the value `bytes`, whose id in `space` was `known` when it was looked up (nil: not
    /// interned then; it may have been since, by another dimension of the same event, so it is looked up again).
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, known: UInt64?, cap: Int?, space: ValueSpace) {
        guard let base = bytes.baseAddress else { return }
        guard let known else {
            addNew(base, count: bytes.count, cap: cap, space: space)
            return
        }
        if incrementIfPresent(known) { return }
        guard let cap, Int(distinct) >= cap else {
            insert(known, count: 1)
            return
        }
        addBeyondCap(base, count: bytes.count, space: space)
    }

    /// Counts a value that was not interned when it was looked up, as every value was counted before lookups moved
    /// ahead of the count: it is looked up again, so nothing depends on what changed since.
    private mutating func addNew(_ base: UnsafePointer<UInt8>, count: Int, cap: Int?, space: ValueSpace) {
        guard let cap, Int(distinct) >= cap else {
            let id = space.id(base, count: count)
            if !incrementIfPresent(id) { insert(id, count: 1) }
            return
        }
        if let known = space.existingID(base, count: count), incrementIfPresent(known) { return }
        addBeyondCap(base, count: count, space: space)
    }

    /// Counts one event with the value `bytes`, looking its id up.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, cap: Int?, space: ValueSpace) {
        add(bytes, known: space.existingID(bytes), cap: cap, space: space)
    }

    /// The slow path once the cap is reached: admit the value only if its hash is among the `cap` smallest.
    private mutating func addBeyondCap(_ base: UnsafePointer<UInt8>, count: Int, space: ValueSpace) {
        let hash = StableHash.hash(base, count: count)
        if hash >= overflow.sampling.threshold {
            overflow.sampling.otherCount += 1
            return
        }
        let current = overflow.sampling.largest ?? findLargest(space)
        if hash >= current.hash {
            overflow.sampling.threshold = hash
            overflow.sampling.otherCount += 1
            overflow.sampling.largest = current
            return
        }
        let removed = remove(current.id)
        overflow.sampling.otherCount += removed
        overflow.sampling.threshold = current.hash
        insert(space.id(base, count: count), count: 1)
        overflow.sampling.largest = findLargest(space)
    }

    /// Merges counts kept by another aggregator, whose ids belong to `source`, into these (ids of `target`).
    ///
    /// The same bottom-k rule as ``ValueCounts/merge(_:)``: the lower threshold wins, values at or above it go to
    /// the other count, and the cap is enforced by dropping the largest hashes. Only admitted values are interned.
    mutating func absorb(
        _ other: borrowing LocalValueCounts, cap: Int?, source: ValueSpace, target: ValueSpace, remap: IDRemap
    ) {
        if other.otherCount > 0 { overflow.sampling.otherCount += other.otherCount }
        guard let cap else {
            other.forEach { id, count in add(source.translate(id, remap: remap), count) }
            return
        }
        let limit = min(threshold, other.threshold)
        if limit < threshold {
            var dropped: [UInt64] = []
            forEach { id, _ in if target.stableHash(id) >= limit { dropped.append(id) } }
            var removed = 0
            for id in dropped { removed += remove(id) }
            overflow.sampling.otherCount += removed
            overflow.sampling.threshold = limit
        }
        other.forEach { id, count in
            if limit != .max && source.stableHash(id) >= limit {
                overflow.sampling.otherCount += count
            } else {
                add(source.translate(id, remap: remap), count)
            }
        }
        if overflow.sampling.largest != nil { overflow.sampling.largest = nil }
        while count > cap {
            let victim = findLargest(target)
            let removed = remove(victim.id)
            overflow.sampling.otherCount += removed
            overflow.sampling.threshold = min(overflow.sampling.threshold, victim.hash)
        }
    }

    /// Whether absorbing `other` under `cap` may take the sampling path, which reads (and caches) the spaces'
    /// stable hashes; otherwise the absorb only reads the remap and changes this value alone.
    func mayNeedSampling(absorbing other: borrowing LocalValueCounts, cap: Int?) -> Bool {
        guard let cap else { return false }
        return threshold != .max || other.threshold != .max || count + other.count > cap
    }

    /// The counts as strings.
    func resolved(_ strings: ResolvedStrings, cap: Int?) -> ValueCounts {
        if count > 1, let ranks = strings.ranks { return resolved(strings, ranks: ranks, cap: cap) }
        var entries: [ValueCounts.Entry] = []
        entries.reserveCapacity(count)
        forEach { id, count in
            entries.append(
                ValueCounts.Entry(
                    value: id & ValueSpace.literalFlag != 0
                        ? ValueSpace.formatIPv4(UInt32(truncatingIfNeeded: id)) : strings[UInt32(id)],
                    count: count))
        }
        return ValueCounts(distinctEntries: entries, otherCount: otherCount, threshold: threshold, capacity: cap)
    }

    /// The counts as strings, put in order by the values' ranks (integers) rather than by comparing strings. Equal
    /// ranks (bytes that decode to one string) keep the order in which they were met, as the stable sort by string
    /// did.
    private func resolved(_ strings: ResolvedStrings, ranks: [UInt32], cap: Int?) -> ValueCounts {
        struct Item {
            /// The rank above, the position met below: distinct, so any sort gives the one order.
            var key: UInt64
            var id: UInt32
            var count: Int
        }
        let entries = withUnsafeTemporaryAllocation(of: Item.self, capacity: count) { items in
            var met = 0
            forEach { id, count in
                assert(id & ValueSpace.literalFlag == 0, "a literal value has no rank")
                let id = UInt32(truncatingIfNeeded: id)
                items.initializeElement(
                    at: met, to: Item(key: UInt64(ranks[Int(id)]) << 32 | UInt64(met), id: id, count: count))
                met += 1
            }
            var items = UnsafeMutableBufferPointer(rebasing: items[..<met])
            items.sort { $0.key < $1.key }
            return items.map { ValueCounts.Entry(value: strings[$0.id], count: $0.count) }
        }
        return ValueCounts(
            sortedDistinctEntries: entries, otherCount: otherCount, threshold: threshold, capacity: cap)
    }

    // MARK: - Ids and counts

    /// Adds `amount` to the count of `id` if it is present.
    /// - Returns: whether it was.
    @inline(__always)
    private mutating func incrementIfPresent(_ id: UInt64, by amount: Int = 1) -> Bool {
        var index = 0
        let used = Int(inlineCount)
        while index < used {
            if inlineIDs[index] == id {
                let current = inlineCounts[index]
                if UInt(bitPattern: amount) <= UInt(UInt32.max - current) {
                    inlineCounts[index] = current &+ UInt32(truncatingIfNeeded: amount)
                } else {
                    moveToOverflow(at: index, adding: amount)
                }
                return true
            }
            index &+= 1
        }
        return overflow.increment(id, by: amount)
    }

    /// Adds `amount` to the count of `id`, inserting it if absent.
    private mutating func add(_ id: UInt64, _ amount: Int) {
        if !incrementIfPresent(id, by: amount) { insert(id, count: amount) }
    }

    /// Inserts an id that is not present.
    private mutating func insert(_ id: UInt64, count: Int) {
        if inlineCount < 4 && count <= Int(UInt32.max) {
            inlineIDs[Int(inlineCount)] = id
            inlineCounts[Int(inlineCount)] = UInt32(count)
            inlineCount += 1
        } else {
            overflow.insert(id, count: count)
        }
        distinct += 1
    }

    /// Removes `id`.
    /// - Returns: its count, or 0 if absent.
    private mutating func remove(_ id: UInt64) -> Int {
        for index in 0..<Int(inlineCount) where inlineIDs[index] == id {
            let removed = Int(inlineCounts[index])
            removeInline(at: index)
            distinct -= 1
            // Keep the inline slots full while the table has entries that fit them.
            if let entry = overflow.first(where: { $0 <= Int(UInt32.max) }) {
                _ = overflow.remove(entry.id)
                inlineIDs[Int(inlineCount)] = entry.id
                inlineCounts[Int(inlineCount)] = UInt32(entry.count)
                inlineCount += 1
            }
            return removed
        }
        guard let removed = overflow.remove(id) else { return 0 }
        distinct -= 1
        return removed
    }

    /// Moves an inline entry whose count would pass 32 bits to the table.
    private mutating func moveToOverflow(at index: Int, adding amount: Int) {
        let id = inlineIDs[index]
        let total = Int(inlineCounts[index]) + amount
        removeInline(at: index)
        overflow.insert(id, count: total)
    }

    private mutating func removeInline(at index: Int) {
        let last = Int(inlineCount) - 1
        inlineIDs[index] = inlineIDs[last]
        inlineCounts[index] = inlineCounts[last]
        inlineCount -= 1
    }

    /// Calls `body` with every id and its count.
    func forEach(_ body: (UInt64, Int) -> Void) {
        for index in 0..<Int(inlineCount) { body(inlineIDs[index], Int(inlineCounts[index])) }
        overflow.forEach(body)
    }

    private func findLargest(_ space: ValueSpace) -> (id: UInt64, hash: UInt64) {
        var best: (id: UInt64, hash: UInt64) = (0, 0)
        forEach { id, _ in
            let hash = space.stableHash(id)
            if hash >= best.hash { best = (id, hash) }
        }
        return best
    }
}

/// Translates one interner's ids into another's: every string of the source interned into the target once, up
/// front, so that the translation itself only reads and threads can share it.
struct IDRemap {
    private var mapped: [UInt32] = []

    /// Interns every string of `source` into `target`.
    init(from source: ByteInterner, into target: ByteInterner) {
        mapped = (0..<UInt32(source.count)).map { target.intern(source.bytes($0)) }
    }

    /// The target's id of a source id.
    @inline(__always)
    subscript(_ id: UInt32) -> UInt32 { mapped[Int(id)] }
}

/// Interned ids turned into `String`s once each, shared by every key that uses them.
///
/// One per thread: the cache is not checked for exclusive access (those checks showed in profiles of the resolve
/// phase, where every value of every key goes through here).
final class ResolvedStrings {
    private let interner: ByteInterner
    @exclusivity(unchecked) private var cache: [String?]
    /// Each id's place in the order of the strings, when made with ``RankedStrings``.
    let ranks: [UInt32]?

    /// - Parameters:
    ///   - interner: where the ids' bytes are.
    ///   - ranked: the interner's strings, made and ranked once for every thread that resolves: they start the cache
    ///     (shared, as no entry is missing), and a key's values are ordered by their ranks.
    init(_ interner: ByteInterner, ranked: RankedStrings? = nil) {
        self.interner = interner
        self.cache = ranked?.strings ?? []
        self.ranks = ranked?.ranks
    }

    /// Starts loading what resolving `id` reads first: its place in the cache and its entry in the interner. With
    /// a string per role session (their ARNs) both are misses for most keys.
    @inline(__always)
    func prefetch(_ id: UInt32) {
        if Int(id) < cache.count {
            cache.withUnsafeBufferPointer { keytrail_prefetch_for_write($0.baseAddress! + Int(id)) }
        }
        interner.prefetchEntry(id)
    }

    /// Starts loading `id`'s bytes; its entry should have been loaded by ``prefetch(_:)``.
    @inline(__always)
    func prefetchBytes(_ id: UInt32) { interner.prefetchBytes(id) }

    subscript(id: UInt32) -> String {
        if cache.count < interner.count { cache += repeatElement(nil, count: interner.count - cache.count) }
        if let cached = cache[Int(id)] { return cached }
        let string = interner.string(id)
        cache[Int(id)] = string
        return string
    }
}

/// Every string of an interner, made once, and each id's place in their order (equal strings, from byte sequences
/// that are not UTF-8 and decode alike, share one). For interners of few distinct values each used by many keys
/// (event names and sources, regions; never a space with literal ids): a key's values are then ordered by comparing
/// integers instead of strings, which was a fifth of resolving's profile samples. Read by every resolving thread.
struct RankedStrings {
    let strings: [String?]
    let ranks: [UInt32]

    init(_ interner: ByteInterner) {
        let strings = (0..<UInt32(interner.count)).map { interner.string($0) }
        let sorted = (0..<strings.count).sorted { strings[$0] < strings[$1] }
        var ranks = [UInt32](repeating: 0, count: strings.count)
        var rank: UInt32 = 0
        for (position, id) in sorted.enumerated() {
            if position > 0 && strings[sorted[position - 1]] != strings[id] { rank += 1 }
            ranks[id] = rank
        }
        self.strings = strings
        self.ranks = ranks
    }
}
