import TrailModel

#if canImport(Glibc)
import Glibc
#endif

/// The strings one thread decoded from the store, by their bytes: a bucket's keys repeat the same user agents, ARNs
/// and service names, and one `String` for each saves an allocation per occurrence and the memory of the copies
/// (a nightly run over 49,119 keys: peak RSS 276 → 221 MiB, 0.936 → 0.815 s with two jobs).
///
/// Strings of up to 15 bytes live inside the `String` value itself and bypass the cache. Not thread-safe: one per
/// decoding thread (which is why its storage skips the dynamic exclusivity checks).
final class DecodedStrings {
    /// Open addressing over `strings`: each slot an index into it plus one, 0 when empty; a power of two, at most
    /// half full.
    @exclusivity(unchecked) private var slots: [UInt32]
    @exclusivity(unchecked) private var strings: [String] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []

    /// The longest string that needs no allocation of its own.
    private static let smallStringBytes = 15

    init() { slots = [UInt32](repeating: 0, count: 1_024) }

    /// The string of `utf8` (repaired where it is not valid UTF-8, as `String(decoding:as:)` does).
    func string(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        guard utf8.count > Self.smallStringBytes, let base = utf8.baseAddress else {
            return String(decoding: utf8, as: UTF8.self)
        }
        let hash = StableHash.hash(base, count: utf8.count)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot] - 1)
            if hashes[index] == hash && Self.equal(strings[index], utf8) { return strings[index] }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: utf8, as: UTF8.self)
        // A repaired string's bytes differ from the stored ones: it is made afresh each time, not cached.
        guard string.utf8.count == utf8.count else { return string }
        strings.append(string)
        hashes.append(hash)
        slots[slot] = UInt32(strings.count)
        if strings.count * 2 > slots.count { grow() }
        return string
    }

    private func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    private static func equal(_ string: String, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == utf8.count && memcmp(stored.baseAddress!, utf8.baseAddress!, utf8.count) == 0
        } ?? string.utf8.elementsEqual(utf8)
    }
}
