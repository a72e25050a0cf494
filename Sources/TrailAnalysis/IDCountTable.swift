import CPrefetch

/// Counts by interned id, for a key's values beyond the four that ``LocalValueCounts`` keeps inline: an
/// open-addressing table (linear probing) whose id and count share one slot.
///
/// It replaced a `[UInt64: Int]`, where counting an event for a key's fifth event name read the dictionary's storage,
/// its bitmap, the key and then the value, each a likely cache miss among 50,000 keys: waiting for the storage alone
/// was 40% of `LocalValueCounts.add`'s own samples in a one-job profile. Here it is the slot, next to its id.
///
/// The table is 9 bytes held in its owner's cache line: the address of one allocation and the slot index's shift.
/// The allocation holds a small header, then the slots; finding an id's slot needs neither the header nor anything
/// else, so counting touches the slot's line alone. (The slots used to hang off a class instance that also held the
/// sampling state: two dependent misses, 56% of `LocalValueCounts.add`'s own samples in a one-job profile.) The header
/// keeps the number of ids and, for the value set that owns the table, its bottom-k ``Sampling`` state. An empty
/// table allocates nothing.
///
/// Ids are interned indices or literal IPv4 addresses with a flag bit, never `UInt64.max`, which marks an empty slot.
/// The slot is a multiplicative hash of the id, with no seed: interned ids are handed out in order, and addresses,
/// the one kind a sender chooses, are kept in capped dimensions (256 per key by default), so addresses picked to
/// collide make at most one key's probe runs that long. Not copyable: it owns its allocation and frees it.
struct IDCountTable: ~Copyable {
    /// The bottom-k state of the value set that owns the table (``LocalValueCounts``), kept in its header.
    struct Sampling {
        /// Events whose value was not kept.
        var otherCount = 0
        /// The smallest stable hash dropped; `.max` while exact.
        var threshold: UInt64 = .max
        /// The entry with the largest stable hash, once the cap is reached (nil: not known).
        var largest: (id: UInt64, hash: UInt64)?
    }

    private struct Slot {
        var id: UInt64
        var count: Int
    }

    private struct Header {
        var count: Int
        var sampling: Sampling
    }

    private static let empty = UInt64.max
    /// Bytes before the first slot: the header, rounded up to whole slots.
    private static let slotsOffset =
        (MemoryLayout<Header>.size + MemoryLayout<Slot>.stride - 1)
        & ~(MemoryLayout<Slot>.stride - 1)
    private static let firstCapacityBits: UInt8 = 3

    /// The allocation: the header at its start, the slots from ``slotsOffset``. Nil while the table is empty and
    /// has no sampling state.
    private var storage: UnsafeMutableRawPointer?
    /// 64 minus the number of bits of the slot index: the slot is the top bits of the id's product.
    private var shift: UInt8 = 64 - IDCountTable.firstCapacityBits

    init() {}

    deinit {
        storage?.deallocate()
    }

    private var capacity: Int { 1 << (64 - Int(shift)) }
    private var mask: Int { capacity - 1 }

    @inline(__always)
    private func slots(_ storage: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Slot> {
        (storage + Self.slotsOffset).assumingMemoryBound(to: Slot.self)
    }

    @inline(__always)
    private func header(_ storage: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Header> {
        storage.assumingMemoryBound(to: Header.self)
    }

    /// Starts loading the header and the first slots (a hint: resolving reads every key's tables at random).
    @inline(__always)
    func prefetch() {
        if let storage { keytrail_prefetch_for_write(storage) }
    }

    /// The number of ids held.
    var count: Int { storage.map { header($0).pointee.count } ?? 0 }

    /// The owner's sampling state; setting it allocates the table if needed.
    var sampling: Sampling {
        get { storage.map { header($0).pointee.sampling } ?? Sampling() }
        set { header(allocated()).pointee.sampling = newValue }
    }

    @inline(__always)
    private func home(_ id: UInt64) -> Int {
        Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// Adds `amount` to the count of `id` if it is present.
    /// - Returns: whether it was.
    @inline(__always)
    mutating func increment(_ id: UInt64, by amount: Int) -> Bool {
        guard let storage else { return false }
        let slots = slots(storage)
        let mask = mask
        var index = home(id)
        while true {
            let slot = slots[index]
            if slot.id == id {
                slots[index].count = slot.count &+ amount
                return true
            }
            if slot.id == Self.empty { return false }
            index = (index &+ 1) & mask
        }
    }

    /// Inserts `id`, which is not present, with `count`.
    mutating func insert(_ id: UInt64, count newCount: Int) {
        precondition(id != Self.empty, "the empty marker is not an id")
        if (count + 1) * 2 > capacity { grow() }
        let storage = allocated()
        let slots = slots(storage)
        var index = home(id)
        while slots[index].id != Self.empty { index = (index &+ 1) & mask }
        slots[index] = Slot(id: id, count: newCount)
        header(storage).pointee.count += 1
    }

    /// Removes `id`.
    /// - Returns: its count, or nil if absent.
    mutating func remove(_ id: UInt64) -> Int? {
        guard let storage else { return nil }
        let slots = slots(storage)
        let mask = mask
        var index = home(id)
        while slots[index].id != id {
            if slots[index].id == Self.empty { return nil }
            index = (index &+ 1) & mask
        }
        let removed = slots[index].count
        // Backward-shift deletion: move later members of the probe run into the hole whenever their home does not
        // lie cyclically between the hole and their slot, so every id stays reachable from its home.
        var hole = index
        var next = (index &+ 1) & mask
        while slots[next].id != Self.empty {
            let wanted = home(slots[next].id)
            let distanceToNext = (next &- wanted) & mask
            let distanceToHole = (hole &- wanted) & mask
            if distanceToHole < distanceToNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next &+ 1) & mask
        }
        slots[hole] = Slot(id: Self.empty, count: 0)
        header(storage).pointee.count -= 1
        return removed
    }

    /// An entry whose count satisfies `condition`, if any.
    func first(where condition: (Int) -> Bool) -> (id: UInt64, count: Int)? {
        guard let storage else { return nil }
        let slots = slots(storage)
        for index in 0...mask where slots[index].id != Self.empty && condition(slots[index].count) {
            return (slots[index].id, slots[index].count)
        }
        return nil
    }

    /// Calls `body` with every id and its count.
    func forEach(_ body: (UInt64, Int) -> Void) {
        guard let storage else { return }
        let slots = slots(storage)
        for index in 0...mask where slots[index].id != Self.empty { body(slots[index].id, slots[index].count) }
    }

    /// The allocation, made (empty, with the first capacity) if there is none.
    @inline(__always)
    private mutating func allocated() -> UnsafeMutableRawPointer {
        if let storage { return storage }
        let made = Self.allocate(capacity: capacity)
        storage = made
        return made
    }

    private static func allocate(capacity: Int) -> UnsafeMutableRawPointer {
        let bytes = slotsOffset + capacity * MemoryLayout<Slot>.stride
        // The slots' own alignment: asking for a cache line's went through glibc's memalign, slower than malloc and
        // wasteful with thousands of small tables (9 rounds, two jobs: 1.038 -> 1.001 s).
        let storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<Slot>.alignment)
        storage.bindMemory(to: Header.self, capacity: 1).initialize(to: Header(count: 0, sampling: Sampling()))
        (storage + slotsOffset).bindMemory(to: Slot.self, capacity: capacity)
            .initialize(repeating: Slot(id: empty, count: 0), count: capacity)
        return storage
    }

    private mutating func grow() {
        guard let old = storage else { return }
        let oldSlots = slots(old)
        let oldCapacity = capacity
        let grown = Self.allocate(capacity: oldCapacity * 2)
        header(grown).pointee = header(old).pointee
        storage = grown
        shift -= 1
        let slots = slots(grown)
        let mask = mask
        for index in 0..<oldCapacity where oldSlots[index].id != Self.empty {
            var target = home(oldSlots[index].id)
            while slots[target].id != Self.empty { target = (target &+ 1) & mask }
            slots[target] = oldSlots[index]
        }
        old.deallocate()
    }
}
