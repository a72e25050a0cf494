/// A fast 64-bit hash of a byte string, word at a time.
///
/// With the default seed it is stable across processes and machines, which the bottom-k value sets rely on
/// (``ValueCounts``): which values a capped set keeps must not depend on the run. Hash tables that face
/// attacker-chosen strings pass a random seed instead.
public enum StableHash {
    /// The fixed seed for hashes that must be reproducible.
    public static let defaultSeed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Hashes `count` bytes at `p`.
    @inlinable
    public static func hash(_ p: UnsafePointer<UInt8>, count: Int, seed: UInt64 = defaultSeed) -> UInt64 {
        let m1: UInt64 = 0xA076_1D64_78BD_642F
        let m2: UInt64 = 0xE703_7ED1_A0B4_28DB
        var h = seed ^ (UInt64(truncatingIfNeeded: count) &* m1)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mix(h ^ word, m2)
            i &+= 8
        }
        if i < count { h = mix(h ^ tail(raw, count: count, from: i), m1) }
        return finalize(h)
    }

    /// The bytes from `start` to `count` (fewer than eight) as a little-endian word, read with at most two loads
    /// inside the buffer instead of one per byte: the same value a byte loop builds, so hashes do not change.
    @inlinable @inline(__always)
    static func tail(_ raw: UnsafeRawPointer, count: Int, from start: Int) -> UInt64 {
        let remaining = count &- start
        if count >= 8 {
            // The last eight bytes, shifted down past those already hashed.
            let last = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            return last >> UInt64(truncatingIfNeeded: (8 &- remaining) &* 8)
        }
        if count >= 4 {
            // Two four-byte loads that may overlap; the overlapping bytes are the same in both.
            let low = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            return low | high << UInt64(truncatingIfNeeded: (count &- 4) &* 8)
        }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        var word = UInt64(bytes[0])
        if count > 1 { word |= UInt64(bytes[1]) << 8 }
        if count > 2 { word |= UInt64(bytes[2]) << 16 }
        return word
    }

    /// Hashes the UTF-8 bytes of a String.
    public static func hash(_ text: String, seed: UInt64 = defaultSeed) -> UInt64 {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else {
                var zero: UInt8 = 0
                return withUnsafePointer(to: &zero) { hash($0, count: 0, seed: seed) }
            }
            return hash(base, count: buffer.count, seed: seed)
        }
    }

    @inlinable
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// MurmurHash3's 64-bit finalizer: a bijective mix, so integers that differ in any bits spread over a table.
    @inlinable
    public static func finalize(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
