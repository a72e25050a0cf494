import CPrefetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running activities of a worker's keys, each in a slot aligned to 64 bytes, so that a key's per-event fields
/// and each of its value dimensions begin on a cache line of their own: counting an event touches as few lines as
/// the fields it changes. Keys are looked up at random among tens of thousands, so those lines are mostly misses.
///
/// The table is one mapping of address space for ``reservedSlots`` keys, of which only the pages keys reach become
/// memory. It grew by doubling before: every key was moved several times on the way to 50,000, each new copy's pages
/// faulting in. On the 1 GB corpus with two jobs, peak RSS fell 195 → 183 MiB; the time did not change beyond the
/// noise. (Asking for huge pages as well, against TLB misses among the keys, measured the same: 1.407 against
/// 1.398 s with one job and 0.808 against 0.811 s with two, in 15 interleaved rounds; this machine zeroes a huge
/// page slowly when it first faults in.)
///
/// Owned by one aggregator's state; ``release()`` frees it.
struct KeyTable {
    /// Bytes per key: the record rounded up to whole cache lines.
    static let slotSize = (MemoryLayout<LocalKeyActivity>.stride + 63) & ~63
    /// Keys the first mapping has room for (72 MiB of address space at 576 bytes a key); past it, the table moves to
    /// a mapping twice the size.
    static let reservedSlots = 1 << 17
    private var memory: Memory
    private var capacity: Int
    /// The number of keys.
    private(set) var count = 0

    private var base: UnsafeMutableRawPointer { memory.base }

    /// Keys an ordinary allocation starts with where the system refuses the mapping (strict overcommit accounting
    /// charges the whole reservation up front): the table then doubles from here, as it always did.
    static let allocatedSlots = 1_024

    /// - Parameters:
    ///   - capacity: keys before the first move (``reservedSlots`` for an aggregator).
    ///   - mapped: reserve a mapping (false only in tests of the fallback).
    init(capacity: Int = reservedSlots, mapped: Bool = true) {
        precondition(capacity > 0, "a key table has room for at least one key")
        if mapped, let reserved = Memory(mapping: capacity * Self.slotSize) {
            self.capacity = capacity
            memory = reserved
        } else {
            self.capacity = min(capacity, Self.allocatedSlots)
            memory = Memory(allocating: self.capacity * Self.slotSize)
        }
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
            let bytes = capacity * 2 * Self.slotSize
            let grown =
                memory.isMapped ? Memory(mapping: bytes) ?? Memory(allocating: bytes) : Memory(allocating: bytes)
            for index in 0..<count {
                (grown.base + index * Self.slotSize).bindMemory(to: LocalKeyActivity.self, capacity: 1)
                    .moveInitialize(from: pointer(index), count: 1)
            }
            memory.free()
            memory = grown
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
        memory.free()
    }

    /// The table's bytes: an anonymous mapping whose pages become memory when first touched, or an ordinary
    /// allocation.
    private struct Memory {
        let base: UnsafeMutableRawPointer
        let bytes: Int
        let isMapped: Bool

        /// A mapping of `bytes`, or nil where the system refuses it.
        init?(mapping bytes: Int) {
            #if os(Linux)
            let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
            #else
            let flags = MAP_PRIVATE | MAP_ANON
            #endif
            guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), mapped != MAP_FAILED else {
                return nil
            }
            self.bytes = bytes
            base = mapped
            isMapped = true
        }

        init(allocating bytes: Int) {
            self.bytes = bytes
            base = .allocate(byteCount: bytes, alignment: 64)
            isMapped = false
        }

        func free() {
            if isMapped { munmap(base, bytes) } else { base.deallocate() }
        }
    }
}
