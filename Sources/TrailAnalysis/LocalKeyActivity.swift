import TrailModel

/// A worker's running activity of one key, with strings as interned ids; turned into ``KeyActivity`` at the end.
struct LocalKeyActivity {
    /// Interned ids of the principal's parts; `nil` parts were absent.
    struct PrincipalIDs: Equatable {
        var type: UInt32?
        var arn: UInt32?
        var userName: UInt32?
        var accountId: UInt32?
        var sessionIssuerArn: UInt32?
    }

    var events = 0
    var errors = 0
    var firstSeen = Int64.max
    var lastSeen = Int64.min
    var principal = PrincipalIDs()
    var eventSources = LocalValueCounts()
    var eventNames = LocalValueCounts()
    var sourceIPs = LocalValueCounts()
    var userAgents = LocalValueCounts()
    var regions = LocalValueCounts()
    var activeHours = InlineArray<24, Int32>(repeating: 0)
    /// Full 64-day blocks of active days, once activity spans more than one block.
    var dayBlocks: [Int32: UInt64] = [:]
    /// The 64-day block being filled, kept out of the dictionary while consecutive events land in it.
    var currentBlock = Int32.min
    var currentBits: UInt64 = 0

    @inline(__always)
    mutating func addDay(_ day: Int32) {
        let block = day >> 6
        if block != currentBlock {
            flushDays()
            currentBlock = block
            currentBits = dayBlocks[block] ?? 0
        }
        currentBits |= 1 << UInt64(day & 63)
    }

    /// Every active day, including the block being filled.
    func days() -> DaySet {
        var set = DaySet()
        for (block, bits) in dayBlocks where block != currentBlock { set.insert(block: block, bits: bits) }
        if currentBlock != .min { set.insert(block: currentBlock, bits: currentBits) }
        return set
    }

    /// Adds another partial record's active days.
    mutating func absorbDays(_ other: LocalKeyActivity) {
        flushDays()
        for (block, bits) in other.dayBlocks { dayBlocks[block, default: 0] |= bits }
        if other.currentBlock != .min { dayBlocks[other.currentBlock, default: 0] |= other.currentBits }
        currentBlock = .min
        currentBits = 0
    }

    private mutating func flushDays() {
        if currentBlock != .min { dayBlocks[currentBlock] = currentBits }
    }
}
