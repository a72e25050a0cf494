/// Counts by interned id, for a key's values beyond the four that ``LocalValueCounts`` keeps inline: an
/// open-addressing table (linear probing) whose id and count share one slot.
///
/// It replaced a `[UInt64: Int]`, where counting an event for a key's fifth event name read the dictionary's storage,
/// its bitmap, the key and then the value, each a likely cache miss among 50,000 keys: waiting for the storage alone
/// was 40% of `LocalValueCounts.add`'s own samples in a one-job profile. Here it is the slot, next to its id.
///
/// Ids are interned indices or literal IPv4 addresses with a flag bit, never `UInt64.max`, which marks an empty slot.
/// The slot is a multiplicative hash of the id, with no seed: interned ids are handed out in order, and addresses,
/// the one kind a sender chooses, are kept in capped dimensions (256 per key by default), so addresses picked to
/// collide make at most one key's probe runs that long. Not copyable: it owns its slots and frees them.
struct IDCountTable: ~Copyable {
    private struct Slot {
        var id: UInt64
        var count: Int
    }

    private static let empty = UInt64.max
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// 64 minus the number of bits of the slot index: the slot is the top bits of the id's product.
    private var shift: UInt64
    /// The number of ids held.
    private(set) var count = 0

    init() {
        let capacity = 8
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(id: Self.empty, count: 0), count: capacity)
        mask = capacity - 1
        shift = 64 - 3
    }

    deinit {
        slots.deallocate()
    }

    @inline(__always)
    private func home(_ id: UInt64) -> Int {
        Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Adds `amount` to the count of `id` if it is present.
    /// - Returns: whether it was.
    @inline(__always)
    mutating func increment(_ id: UInt64, by amount: Int) -> Bool {
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
        if (count + 1) * 2 > mask + 1 { grow() }
        var index = home(id)
        while slots[index].id != Self.empty { index = (index &+ 1) & mask }
        slots[index] = Slot(id: id, count: newCount)
        count += 1
    }

    /// Removes `id`.
    /// - Returns: its count, or nil if absent.
    mutating func remove(_ id: UInt64) -> Int? {
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
        count -= 1
        return removed
    }

    /// An entry whose count satisfies `condition`, if any.
    func first(where condition: (Int) -> Bool) -> (id: UInt64, count: Int)? {
        for index in 0...mask where slots[index].id != Self.empty && condition(slots[index].count) {
            return (slots[index].id, slots[index].count)
        }
        return nil
    }

    /// Calls `body` with every id and its count.
    func forEach(_ body: (UInt64, Int) -> Void) {
        for index in 0...mask where slots[index].id != Self.empty { body(slots[index].id, slots[index].count) }
    }

    private mutating func grow() {
        let old = slots
        let oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(id: Self.empty, count: 0), count: capacity)
        mask = capacity - 1
        shift -= 1
        for index in 0..<oldCapacity where old[index].id != Self.empty {
            var target = home(old[index].id)
            while slots[target].id != Self.empty { target = (target &+ 1) & mask }
            slots[target] = old[index]
        }
        old.deallocate()
    }
}
