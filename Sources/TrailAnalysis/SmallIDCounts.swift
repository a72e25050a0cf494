/// Counts per interned id, with the first four ids held inline and a dictionary only beyond.
///
/// Most keys use one to three source IPs, user agents and regions; holding those inline saves a heap allocation
/// and a hash per event, and keeps fifty thousand keys in tens of megabytes.
struct SmallIDCounts {
    private var inlineIDs = InlineArray<4, UInt64>(repeating: 0)
    private var inlineCounts = InlineArray<4, Int>(repeating: 0)
    private var inlineCount = 0
    private var overflow: [UInt64: Int] = [:]

    /// The number of distinct ids.
    var count: Int { inlineCount + overflow.count }

    /// Adds `amount` to the count of `id` if it is present.
    /// - Returns: whether it was.
    @inline(__always)
    mutating func incrementIfPresent(_ id: UInt64, by amount: Int = 1) -> Bool {
        var index = 0
        while index < inlineCount {
            if inlineIDs[index] == id {
                inlineCounts[index] &+= amount
                return true
            }
            index &+= 1
        }
        guard !overflow.isEmpty, let existing = overflow[id] else { return false }
        overflow[id] = existing &+ amount
        return true
    }

    /// Adds `amount` to the count of `id`, inserting it if absent.
    @inline(__always)
    mutating func add(_ id: UInt64, _ amount: Int) {
        if !incrementIfPresent(id, by: amount) { insert(id, count: amount) }
    }

    /// Whether `id` is present.
    func contains(_ id: UInt64) -> Bool {
        for index in 0..<inlineCount where inlineIDs[index] == id { return true }
        return overflow[id] != nil
    }

    /// Inserts an id that is not present.
    mutating func insert(_ id: UInt64, count: Int) {
        if inlineCount < 4 {
            inlineIDs[inlineCount] = id
            inlineCounts[inlineCount] = count
            inlineCount += 1
        } else {
            overflow[id] = count
        }
    }

    /// Removes `id`.
    /// - Returns: its count, or 0 if absent.
    mutating func remove(_ id: UInt64) -> Int {
        for index in 0..<inlineCount where inlineIDs[index] == id {
            let removed = inlineCounts[index]
            let last = inlineCount - 1
            inlineIDs[index] = inlineIDs[last]
            inlineCounts[index] = inlineCounts[last]
            inlineCount = last
            if let (movedID, movedCount) = overflow.first {
                overflow[movedID] = nil
                insert(movedID, count: movedCount)
            }
            return removed
        }
        return overflow.removeValue(forKey: id) ?? 0
    }

    /// Every (id, count) pair turned into `T`, without an intermediate closure capture of the result.
    func map<T>(_ transform: (UInt64, Int) -> T) -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for index in 0..<inlineCount { result.append(transform(inlineIDs[index], inlineCounts[index])) }
        for (id, count) in overflow { result.append(transform(id, count)) }
        return result
    }

    /// Calls `body` with every id and its count.
    func forEach(_ body: (UInt64, Int) -> Void) {
        for index in 0..<inlineCount { body(inlineIDs[index], inlineCounts[index]) }
        for (id, count) in overflow { body(id, count) }
    }
}
