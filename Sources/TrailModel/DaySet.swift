/// A set of days (days since 1970-01-01, UTC), stored as 64-day bitmaps so years of daily activity cost bytes.
///
/// The bitmaps are kept in a small array sorted by block: most keys are active within one or two 64-day blocks,
/// for which an array is smaller and faster than a hash table.
public struct DaySet: Sendable, Equatable {
    /// One 64-day block: bit `d & 63` of `bits` is day `block << 6 | d`.
    public struct Block: Sendable, Equatable {
        public var block: Int32
        public var bits: UInt64

        public init(block: Int32, bits: UInt64) {
            self.block = block
            self.bits = bits
        }
    }

    /// The non-empty blocks, sorted by block.
    public private(set) var blocks: [Block]

    /// An empty set.
    public init() { blocks = [] }

    /// Rebuilds a set from stored blocks (any order; empty blocks dropped, duplicates combined).
    public init(blocks: [Block]) {
        self.blocks = []
        for block in blocks { insert(block: block.block, bits: block.bits) }
    }

    /// Adds a day.
    public mutating func insert(_ day: Int32) {
        insert(block: day >> 6, bits: 1 << UInt64(day & 63))
    }

    /// ORs a whole 64-day block in.
    public mutating func insert(block: Int32, bits: UInt64) {
        guard bits != 0 else { return }
        if let last = blocks.last, last.block < block {
            blocks.append(Block(block: block, bits: bits))
            return
        }
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle].block < block { low = middle + 1 } else { high = middle }
        }
        if low < blocks.count && blocks[low].block == block {
            blocks[low].bits |= bits
        } else {
            blocks.insert(Block(block: block, bits: bits), at: low)
        }
    }

    /// Whether the set holds `day`.
    public func contains(_ day: Int32) -> Bool {
        blocks.contains { $0.block == day >> 6 && $0.bits & (1 << UInt64(day & 63)) != 0 }
    }

    /// The number of days in the set.
    public var count: Int { blocks.reduce(0) { $0 + $1.bits.nonzeroBitCount } }

    /// The days in ascending order.
    public var sortedDays: [Int32] {
        var days: [Int32] = []
        for block in blocks {
            var bits = block.bits
            while bits != 0 {
                days.append(block.block << 6 | Int32(bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return days
    }

    /// Adds every day of another set.
    public mutating func formUnion(_ other: DaySet) {
        for block in other.blocks { insert(block: block.block, bits: block.bits) }
    }
}
