import TrailModel

/// Maps byte strings to small integer ids, storing each distinct string once.
///
/// One interner per worker: the strings of the hot path (event names, regions, user agents, IPs) are looked up by
/// their bytes in the scanner's buffer, so no `String` is made per event. The table hash is seeded per process so
/// that crafted log values cannot force collisions; ``stableHash(_:)`` gives the fixed-seed hash the bottom-k sets
/// need, computed once per string and only when asked.
///
/// The tables live behind a constant pointer: the class's own properties never change after init, so the hot
/// lookups pay no dynamic exclusivity checks.
final class ByteInterner {
    private struct Entry {
        var offset: Int
        var length: Int
        var hash: UInt64
        var stableHash: UInt64
        var hasStableHash: Bool
    }

    private struct Storage {
        var arena: UnsafeMutablePointer<UInt8>
        var arenaCount = 0
        var arenaCapacity: Int
        var entries: UnsafeMutablePointer<Entry>
        var entryCapacity: Int
        var count = 0
        /// Open-addressing slots: the high 32 bits of the hash above id + 1; 0 is empty. The hash tag lets a probe
        /// reject a slot without touching the entry, so a lookup costs one cache miss in the table, not two.
        var slots: UnsafeMutablePointer<UInt64>
        var slotMask: Int
    }

    private let storage: UnsafeMutablePointer<Storage>
    private let seed: UInt64

    init(seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.seed = seed
        let slotCount = 1 << 11
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        storage = .allocate(capacity: 1)
        storage.initialize(
            to: Storage(
                arena: .allocate(capacity: 1 << 16), arenaCapacity: 1 << 16, entries: .allocate(capacity: 1 << 10),
                entryCapacity: 1 << 10, slots: slots, slotMask: slotCount - 1))
    }

    deinit {
        storage.pointee.arena.deallocate()
        storage.pointee.entries.deallocate()
        storage.pointee.slots.deallocate()
        storage.deallocate()
    }

    /// The number of distinct strings.
    var count: Int { storage.pointee.count }

    /// The tables, addressed in place.
    private var s: Storage {
        unsafeAddress { UnsafePointer(storage) }
        unsafeMutableAddress { storage }
    }

    /// The id of the string, if it was interned.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32? {
        let hash = StableHash.hash(p, count: count, seed: seed)
        let slot = probe(p, count: count, hash: hash)
        let value = s.slots[slot]
        return value == 0 ? nil : UInt32(truncatingIfNeeded: value) &- 1
    }

    /// The id of the string, interning it if new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        let hash = StableHash.hash(p, count: count, seed: seed)
        let slot = probe(p, count: count, hash: hash)
        let value = s.slots[slot]
        if value != 0 { return UInt32(truncatingIfNeeded: value) &- 1 }
        return insert(p, count: count, hash: hash, slot: slot)
    }

    /// Interns the bytes of a buffer.
    @inline(__always)
    func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        intern(bytes.baseAddress!, count: bytes.count)
    }

    /// The bytes of an id.
    @inline(__always)
    func bytes(_ id: UInt32) -> UnsafeBufferPointer<UInt8> {
        let entry = s.entries[Int(id)]
        return UnsafeBufferPointer(start: s.arena + entry.offset, count: entry.length)
    }

    /// The string of an id.
    func string(_ id: UInt32) -> String { String(decoding: bytes(id), as: UTF8.self) }

    /// The fixed-seed ``StableHash`` of an id's bytes, cached.
    func stableHash(_ id: UInt32) -> UInt64 {
        let index = Int(id)
        if s.entries[index].hasStableHash { return s.entries[index].stableHash }
        let hash = StableHash.hash(s.arena + s.entries[index].offset, count: s.entries[index].length)
        s.entries[index].stableHash = hash
        s.entries[index].hasStableHash = true
        return hash
    }

    /// Approximate bytes held, for memory accounting.
    var memoryFootprint: Int { s.arenaCapacity + s.entryCapacity * MemoryLayout<Entry>.stride + (s.slotMask + 1) * 8 }

    @inline(__always)
    private func probe(_ p: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> Int {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & s.slotMask
        while true {
            let value = s.slots[slot]
            if value == 0 { return slot }
            if value & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = s.entries[Int(UInt32(truncatingIfNeeded: value) &- 1)]
                if entry.length == count && memoryEquals(s.arena + entry.offset, p, count) { return slot }
            }
            slot = (slot &+ 1) & s.slotMask
        }
    }

    private func insert(_ p: UnsafePointer<UInt8>, count: Int, hash: UInt64, slot: Int) -> UInt32 {
        if s.arenaCount + count > s.arenaCapacity {
            let newCapacity = max(s.arenaCapacity * 2, s.arenaCount + count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: s.arena, count: s.arenaCount)
            s.arena.deallocate()
            s.arena = grown
            s.arenaCapacity = newCapacity
        }
        (s.arena + s.arenaCount).update(from: p, count: count)
        if s.count == s.entryCapacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: s.entryCapacity * 2)
            grown.moveInitialize(from: s.entries, count: s.count)
            s.entries.deallocate()
            s.entries = grown
            s.entryCapacity *= 2
        }
        let id = UInt32(s.count)
        (s.entries + s.count).initialize(
            to: Entry(offset: s.arenaCount, length: count, hash: hash, stableHash: 0, hasStableHash: false))
        s.arenaCount += count
        s.count += 1
        s.slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id &+ 1)
        if s.count * 2 > s.slotMask { rehash() }
        return id
    }

    private func rehash() {
        let newMask = (s.slotMask + 1) * 2 - 1
        let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newMask + 1)
        newSlots.initialize(repeating: 0, count: newMask + 1)
        for index in 0..<count {
            let hash = s.entries[index].hash
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
        s.slots.deallocate()
        s.slots = newSlots
        s.slotMask = newMask
    }
}
