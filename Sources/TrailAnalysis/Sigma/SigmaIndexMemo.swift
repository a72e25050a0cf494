/// What the Sigma field indexes answered for short values a worker met before, so a value seen again (an
/// `eventSource`, `eventName` or `userIdentity.type`: a few hundred distinct values over millions of records) is
/// found without being lowercased and hashed.
///
/// One direct-mapped table per index. A slot holds a value's exact bytes (up to 24, as three words read with loads
/// that stay inside the value) with its length, and the index's answer for it: an entry, or none. The answer depends
/// on the bytes alone, so a remembered one is always right; a value longer than 24 bytes, or one whose slot another
/// value holds, takes the index's own way and then replaces the slot.
final class SigmaIndexMemo {
    /// The longest value remembered.
    static let longest = 24
    private static let slotsPerIndex = 512
    private static let slotShift = UInt64(64 - 9)

    private struct Slot {
        var words: (UInt64, UInt64, UInt64)
        /// The length in the low 32 bits (0: empty), the answer + 1 in the high 32 (0: no entry).
        var tag: UInt64
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let indexCount: Int

    init(indexes: Int) {
        indexCount = indexes
        slots = .allocate(capacity: indexes * Self.slotsPerIndex)
        slots.initialize(repeating: Slot(words: (0, 0, 0), tag: 0), count: indexes * Self.slotsPerIndex)
    }

    deinit { slots.deallocate() }

    /// The answer of index `index` for `bytes`: from the memo when it holds them, else from `lookup`, which is
    /// then remembered.
    @inline(__always)
    func entry(
        _ index: Int, _ bytes: UnsafeBufferPointer<UInt8>?, lookup: (UnsafeBufferPointer<UInt8>?) -> Int?
    ) -> Int? {
        guard let bytes, let base = bytes.baseAddress, bytes.count <= Self.longest, !bytes.isEmpty else {
            return lookup(bytes)
        }
        let words = Self.words(UnsafeRawPointer(base), count: bytes.count)
        let mixed =
            (words.0 &* 0x9E37_79B9_7F4A_7C15) ^ (words.1 &* 0xC2B2_AE3D_27D4_EB4F)
            ^ (words.2 &* 0x1656_67B1_9E37_79F9) ^ UInt64(bytes.count)
        let position = Int(truncatingIfNeeded: (mixed &* 0xFF51_AFD7_ED55_8CCD) >> Self.slotShift)
        let slot = slots + (index &* Self.slotsPerIndex &+ position)
        let length = UInt64(bytes.count)
        if slot.pointee.tag & 0xFFFF_FFFF == length && slot.pointee.words == words {
            let answer = slot.pointee.tag >> 32
            return answer == 0 ? nil : Int(answer) - 1
        }
        let answer = lookup(bytes)
        slot.pointee = Slot(words: words, tag: length | UInt64(answer.map { $0 + 1 } ?? 0) << 32)
        return answer
    }

    /// `count` bytes (1 to 24) as three words that, with the length, tell any two such values apart: overlapping
    /// loads inside the value, never past its end.
    @inline(__always)
    static func words(_ raw: UnsafeRawPointer, count: Int) -> (UInt64, UInt64, UInt64) {
        if count >= 16 {
            return (
                raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            )
        }
        if count >= 8 {
            let last = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            return (raw.loadUnaligned(as: UInt64.self), last, 0)
        }
        if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            return (low | high << 32, 0, 0)
        }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        var word = UInt64(bytes[0])
        if count > 1 { word |= UInt64(bytes[1]) << 8 }
        if count > 2 { word |= UInt64(bytes[2]) << 16 }
        return (word, 0, 0)
    }
}
