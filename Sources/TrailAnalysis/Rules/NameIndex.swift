import TrailModel

/// Finds the entry for an event name by its bytes: one hash and a probe, no `String`.
struct NameIndex: Sendable {
    private let names: [[UInt8]]
    private let hashes: [UInt64]
    /// Open-addressing table of entry index + 1; 0 is empty.
    private let slots: [Int32]
    private let mask: Int

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
