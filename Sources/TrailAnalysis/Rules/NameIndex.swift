import TrailModel

/// Finds the entry for an event name by its bytes: one hash and a probe, no `String`.
struct NameIndex: Sendable {
    private let names: [[UInt8]]
    private let hashes: [UInt64]
    /// Open-addressing table of entry index + 1; 0 is empty.
    private let slots: [Int32]
    private let mask: Int
    /// Bit n set when some name is n bytes long (n < 256; longer names set bit 255).
    private let lengths: (UInt64, UInt64, UInt64, UInt64)
    /// The length in bytes of the longest name (0 for none).
    let longest: Int

    /// A copy sharing no buffer with `other`, for a worker thread.
    init(copying other: NameIndex) {
        names = other.names.map { $0.map { $0 } }
        hashes = other.hashes.map { $0 }
        slots = other.slots.map { $0 }
        mask = other.mask
        lengths = other.lengths
        longest = other.longest
    }

    /// Indexes `names`; the entry of `names[i]` is `i`.
    init(_ names: [String]) {
        self.names = names.map { Array($0.utf8) }
        self.hashes = names.map { StableHash.hash($0) }
        var size = 16
        while size < names.count * 4 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
        self.slots = slots
        self.mask = size - 1
        var bits: [UInt64] = [0, 0, 0, 0]
        for name in self.names {
            let length = min(name.count, 255)
            bits[length >> 6] |= 1 << UInt64(length & 63)
        }
        lengths = (bits[0], bits[1], bits[2], bits[3])
        longest = self.names.map(\.count).max() ?? 0
    }

    /// Whether some name has `count` bytes: a test before copying or hashing a value that cannot match.
    @inline(__always)
    func mayContain(count: Int) -> Bool {
        let length = min(count, 255)
        let word: UInt64
        switch length >> 6 {
        case 0: word = lengths.0
        case 1: word = lengths.1
        case 2: word = lengths.2
        default: word = lengths.3
        }
        return word & (1 << UInt64(length & 63)) != 0
    }

    /// The entry index of the name in `bytes`, or nil.
    @inline(__always)
    func entry(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = StableHash.hash(bytes.baseAddress!, count: bytes.count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = Int(slots[slot])
            if value == 0 { return nil }
            let index = value - 1
            if hashes[index] == hash && names[index].count == bytes.count
                && names[index].withUnsafeBufferPointer({
                    memoryEquals($0.baseAddress!, bytes.baseAddress!, bytes.count)
                })
            {
                return index
            }
            slot = (slot + 1) & mask
        }
    }
}
