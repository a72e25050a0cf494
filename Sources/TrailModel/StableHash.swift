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
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(p[i]) << shift
                shift &+= 8
                i &+= 1
            }
            h = mix(h ^ tail, m1)
        }
        return finalize(h)
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
