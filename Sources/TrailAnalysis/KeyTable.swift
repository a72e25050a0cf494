import CPrefetch

/// The running activities of a worker's keys, each in a slot aligned to 64 bytes, so that a key's per-event fields
/// and each of its value dimensions begin on a cache line of their own: counting an event touches as few lines as
/// the fields it changes. Keys are looked up at random among tens of thousands, so those lines are mostly misses.
///
/// Owned by one aggregator's state; ``release()`` frees it.
struct KeyTable {
    /// Bytes per key: the record rounded up to whole cache lines.
    static let slotSize = (MemoryLayout<LocalKeyActivity>.stride + 63) & ~63
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// The number of keys.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity * Self.slotSize, alignment: 64)
    }

    /// The key at `index` (below ``count``).
    @inline(__always)
    func pointer(_ index: Int) -> UnsafeMutablePointer<LocalKeyActivity> {
        (base + index * Self.slotSize).assumingMemoryBound(to: LocalKeyActivity.self)
    }

    /// Starts loading every cache line of a key, from its `from`th: ``KeyAggregator/add(_:)`` reads the first at
    /// once and reaches the value dimensions only after the event's values are looked up, by when their lines have
    /// arrived; merging and finishing walk keys in another order than the table's and prefetch a few keys ahead.
    @inline(__always)
    static func prefetch(_ key: UnsafeMutablePointer<LocalKeyActivity>, fromLine first: Int = 1) {
        let slot = UnsafeMutableRawPointer(key)
        var offset = 64 * first
        while offset < Self.slotSize {
            keytrail_prefetch_for_write(slot + offset)
            offset += 64
        }
    }

    /// Adds a key at index ``count``.
    mutating func append(_ activity: consuming LocalKeyActivity) {
        if count == capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2 * Self.slotSize, alignment: 64)
            for index in 0..<count {
                (grown + index * Self.slotSize).bindMemory(to: LocalKeyActivity.self, capacity: 1)
                    .moveInitialize(from: pointer(index), count: 1)
            }
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count * Self.slotSize).bindMemory(to: LocalKeyActivity.self, capacity: 1).initialize(to: activity)
        count += 1
    }

    /// Forgets every key, keeping the memory.
    mutating func removeAll() {
        for index in 0..<count { pointer(index).deinitialize(count: 1) }
        count = 0
    }

    /// Forgets every key and frees the memory; the table is not used again.
    mutating func release() {
        removeAll()
        base.deallocate()
    }
}
