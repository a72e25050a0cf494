/// A set of days (days since 1970-01-01, UTC), stored as 64-day bitmaps so years of daily activity cost bytes.
public struct DaySet: Sendable, Equatable {
    /// Bitmaps keyed by `day >> 6`.
    public private(set) var blocks: [Int32: UInt64]

    /// An empty set.
    public init() { blocks = [:] }

    /// Rebuilds a set from stored blocks.
    public init(blocks: [Int32: UInt64]) { self.blocks = blocks.filter { $0.value != 0 } }

    /// Adds a day.
    public mutating func insert(_ day: Int32) {
        blocks[day >> 6, default: 0] |= 1 << UInt64(day & 63)
    }

    /// ORs a whole 64-day block in.
    public mutating func insert(block: Int32, bits: UInt64) {
        guard bits != 0 else { return }
        blocks[block, default: 0] |= bits
    }

    /// Whether the set holds `day`.
    public func contains(_ day: Int32) -> Bool {
        (blocks[day >> 6] ?? 0) & (1 << UInt64(day & 63)) != 0
    }

    /// The number of days in the set.
    public var count: Int { blocks.values.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The days in ascending order.
    public var sortedDays: [Int32] {
        var days: [Int32] = []
        for block in blocks.keys.sorted() {
            var bits = blocks[block]!
            while bits != 0 {
                let bit = Int32(bits.trailingZeroBitCount)
                days.append(block << 6 | bit)
                bits &= bits - 1
            }
        }
        return days
    }

    /// Adds every day of another set.
    public mutating func formUnion(_ other: DaySet) {
        for (block, bits) in other.blocks { blocks[block, default: 0] |= bits }
    }
}
