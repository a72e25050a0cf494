import CPrefetch
import TrailModel

/// Maps byte strings to small integer ids, storing each distinct string once.
///
/// One interner per kind of value per worker: the strings of the hot path (event names, regions, user agents,
/// IPs, key IDs) are looked up by their bytes in the scanner's buffer, so no `String` is made per event.
///
/// Each 32-byte slot of the open-addressing table carries a hash tag, the id and the first 23 bytes of the string
/// with its length, so a lookup of a string of up to 23 bytes (key IDs, IPv4 addresses, regions, most API names)
/// touches one cache line of the table and nothing else. The table hash is seeded per process so that crafted log
/// values cannot force collisions; ``stableHash(_:)`` gives the fixed-seed hash the bottom-k sets need, computed
/// once per string and only when asked. The tables live behind a constant pointer, so lookups pay no dynamic
/// exclusivity checks.
final class ByteInterner {
    /// Where an id's bytes are in the arena, its table hash (for rehashing), and its stable hash once computed.
    private struct Entry {
        var offset: Int
        var length: Int
        var hash: UInt64
        var stableHash: UInt64
        var hasStableHash: Bool
    }

    /// One slot of the table. `tagAndID` is 0 when empty; else the hash's high 32 bits above id + 1. `inline`
    /// holds the string's first 23 bytes, zero-padded, and in its last byte the length, or 0xFF when longer.
    private struct Slot {
        var tagAndID: UInt64
        var inline0: UInt64
        var inline1: UInt64
        var inline2: UInt64
    }

    private struct Storage {
        var arena: UnsafeMutablePointer<UInt8>
        var arenaCount = 0
        var arenaCapacity: Int
        var entries: UnsafeMutablePointer<Entry>
        var entryCapacity: Int
        var count = 0
        var slots: UnsafeMutablePointer<Slot>
        var slotMask: Int
    }

    /// Bytes kept readable after the arena's end, so 8-byte loads of a string's tail never leave the allocation.
    private static let arenaPadding = 32
    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000
    private static let inlineLimit = 23

    private let storage: UnsafeMutablePointer<Storage>
    private let seed: UInt64

    init(seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.seed = seed
        let slotCount = 1 << 10
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(tagAndID: 0, inline0: 0, inline1: 0, inline2: 0), count: slotCount)
        let arenaCapacity = 1 << 14
        let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity + Self.arenaPadding)
        arena.initialize(repeating: 0, count: arenaCapacity + Self.arenaPadding)
        storage = .allocate(capacity: 1)
        storage.initialize(
            to: Storage(
                arena: arena, arenaCapacity: arenaCapacity, entries: .allocate(capacity: 1 << 9),
                entryCapacity: 1 << 9, slots: slots, slotMask: slotCount - 1))
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

    /// The id of the string, if it was interned. `p` must be readable for 8 bytes past `count`.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32? {
        let hash = StableHash.hash(p, count: count, seed: seed)
        let slot = probe(p, count: count, hash: hash, key: Self.inlineKey(p, count))
        let value = s.slots[slot].tagAndID
        return value == 0 ? nil : UInt32(truncatingIfNeeded: value) &- 1
    }

    /// Starts loading the table slot where a lookup of the string begins, so that a lookup a little later finds it
    /// in cache. `p` must be readable for 8 bytes past `count`.
    @inline(__always)
    func prefetch(_ p: UnsafePointer<UInt8>, count: Int) {
        let hash = StableHash.hash(p, count: count, seed: seed)
        keytrail_prefetch_for_write(s.slots + (Int(truncatingIfNeeded: hash) & s.slotMask))
    }

    /// The id of the string, interning it if new. `p` must be readable for 8 bytes past `count`.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        let hash = StableHash.hash(p, count: count, seed: seed)
        let key = Self.inlineKey(p, count)
        let slot = probe(p, count: count, hash: hash, key: key)
        let value = s.slots[slot].tagAndID
        if value != 0 { return UInt32(truncatingIfNeeded: value) &- 1 }
        return insert(p, count: count, hash: hash, key: key, slot: slot)
    }

    /// Interns the bytes of a buffer.
    @inline(__always)
    func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        intern(bytes.baseAddress!, count: bytes.count)
    }

    /// The bytes of an id (followed by readable padding).
    @inline(__always)
    func bytes(_ id: UInt32) -> UnsafeBufferPointer<UInt8> {
        let entry = s.entries[Int(id)]
        return UnsafeBufferPointer(start: s.arena + entry.offset, count: entry.length)
    }

    /// Starts loading the entry that says where an id's bytes are.
    @inline(__always)
    func prefetchEntry(_ id: UInt32) { keytrail_prefetch_for_write(s.entries + Int(id)) }

    /// Starts loading an id's bytes; its entry is read, so it should have been loaded by ``prefetchEntry(_:)``.
    @inline(__always)
    func prefetchBytes(_ id: UInt32) { keytrail_prefetch_for_write(s.arena + s.entries[Int(id)].offset) }

    /// The string of an id.
    func string(_ id: UInt32) -> String { String(decoding: bytes(id), as: UTF8.self) }

    /// Forgets every string, keeping the memory for reuse.
    func removeAll() {
        s.count = 0
        s.arenaCount = 0
        s.slots.update(repeating: Slot(tagAndID: 0, inline0: 0, inline1: 0, inline2: 0), count: s.slotMask + 1)
    }

    /// The fixed-seed ``StableHash`` of an id's bytes, cached.
    func stableHash(_ id: UInt32) -> UInt64 {
        let index = Int(id)
        if s.entries[index].hasStableHash { return s.entries[index].stableHash }
        let hash = StableHash.hash(s.arena + s.entries[index].offset, count: s.entries[index].length)
        s.entries[index].stableHash = hash
        s.entries[index].hasStableHash = true
        return hash
    }

    /// The three inline words of a string: its first 23 bytes, zero-padded, and the length (or 0xFF) last.
    @inline(__always)
    private static func inlineKey(_ p: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        @inline(__always) func word(_ offset: Int, _ available: Int) -> UInt64 {
            if available <= 0 { return 0 }
            let value = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return available >= 8 ? value : value & ((1 << UInt64(available * 8)) &- 1)
        }
        let lengthByte = UInt64(count <= inlineLimit ? count : 0xFF) << 56
        let third = word(16, min(count - 16, 7)) | lengthByte
        return (word(0, count), word(8, count - 8), third)
    }

    @inline(__always)
    private func probe(
        _ p: UnsafePointer<UInt8>, count: Int, hash: UInt64, key: (UInt64, UInt64, UInt64)
    ) -> Int {
        let tag = hash & Self.tagMask
        var slot = Int(truncatingIfNeeded: hash) & s.slotMask
        while true {
            let candidate = s.slots[slot]
            if candidate.tagAndID == 0 { return slot }
            if candidate.tagAndID & Self.tagMask == tag && candidate.inline0 == key.0 && candidate.inline1 == key.1
                && candidate.inline2 == key.2
            {
                if count <= Self.inlineLimit { return slot }
                let entry = s.entries[Int(UInt32(truncatingIfNeeded: candidate.tagAndID) &- 1)]
                if entry.length == count
                    && memoryEquals(
                        s.arena + entry.offset + Self.inlineLimit, p + Self.inlineLimit, count - Self.inlineLimit)
                {
                    return slot
                }
            }
            slot = (slot &+ 1) & s.slotMask
        }
    }

    private func insert(
        _ p: UnsafePointer<UInt8>, count: Int, hash: UInt64, key: (UInt64, UInt64, UInt64), slot: Int
    ) -> UInt32 {
        if s.arenaCount + count > s.arenaCapacity {
            let newCapacity = max(s.arenaCapacity * 2, s.arenaCount + count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.arenaPadding)
            grown.update(from: s.arena, count: s.arenaCount)
            (grown + s.arenaCount).initialize(repeating: 0, count: newCapacity + Self.arenaPadding - s.arenaCount)
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
        s.slots[slot] = Slot(
            tagAndID: (hash & Self.tagMask) | UInt64(id &+ 1), inline0: key.0, inline1: key.1, inline2: key.2)
        if s.count * 2 > s.slotMask { rehash() }
        return id
    }

    private func rehash() {
        let newMask = (s.slotMask + 1) * 2 - 1
        let newSlots = UnsafeMutablePointer<Slot>.allocate(capacity: newMask + 1)
        newSlots.initialize(repeating: Slot(tagAndID: 0, inline0: 0, inline1: 0, inline2: 0), count: newMask + 1)
        for index in 0..<s.slotMask + 1 {
            let old = s.slots[index]
            guard old.tagAndID != 0 else { continue }
            let hash = s.entries[Int(UInt32(truncatingIfNeeded: old.tagAndID) &- 1)].hash
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while newSlots[slot].tagAndID != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = old
        }
        s.slots.deallocate()
        s.slots = newSlots
        s.slotMask = newMask
    }
}
