/// The one way a list of events keeps its earliest few (by time, then ID): a finding group's event IDs, a window
/// minute's, and a Sigma tally's kept events all merge through ``merge(_:into:count:)``, whether one event arrives
/// (a rule's match) or a whole list (another worker's group).
///
/// The merge works in place in storage the caller owns, so that keeping one more event allocates nothing: an array
/// (``Swift/Array/keepEarliest(_:limit:)``) or a raw buffer that lives next to the data the caller has just read.
enum EarliestEvents {
    typealias Entry = EventFindingGroup.TimedEventID

    /// Merges the sorted `incoming` into the sorted first `count` entries of `list`, keeping the earliest
    /// `list.count` of both; an entry already kept comes first among equal ones. Every slot of `list` is initialized
    /// (slots past `count` hold anything).
    /// - Returns: how many entries `list` now keeps: `min(count + incoming.count, list.count)`.
    static func merge(
        _ incoming: UnsafeBufferPointer<Entry>, into list: UnsafeMutableBufferPointer<Entry>, count: Int
    ) -> Int {
        let total = min(count + incoming.count, list.count)
        guard !incoming.isEmpty else { return count }
        // Records mostly arrive in time order: entries not before the last kept one go after it, with no search.
        if count == 0 || !(incoming[0] < list[count - 1]) {
            for offset in 0..<(total - count) { list[count + offset] = incoming[offset] }
            return total
        }
        // How many of each list the earliest `total` take, then a merge from the back, which moves each kept entry
        // once and only entries that the incoming ones displace.
        var (kept, taken) = (0, 0)
        while kept + taken < total {
            if taken == incoming.count {
                kept = total - taken
            } else if kept == count {
                taken = total - kept
            } else if !(incoming[taken] < list[kept]) {
                kept += 1
            } else {
                taken += 1
            }
        }
        var (from, to) = (kept - 1, total - 1)
        for source in stride(from: taken - 1, through: 0, by: -1) {
            while from >= 0 && incoming[source] < list[from] {
                list[to] = list[from]
                (from, to) = (from - 1, to - 1)
            }
            list[to] = incoming[source]
            to -= 1
        }
        return total
    }
}

extension Array where Element == EarliestEvents.Entry {
    /// Keeps the earliest `limit` of this sorted list and the sorted `incoming` (see
    /// ``EarliestEvents/merge(_:into:count:)``), in place.
    mutating func keepEarliest(_ incoming: UnsafeBufferPointer<Element>, limit: Int) {
        if self.count > limit { removeLast(self.count - limit) }
        let count = self.count
        let total = Swift.min(count + incoming.count, limit)
        guard let first = incoming.first else { return }
        // A full list keeps out an entry not before its last, and with it every later one.
        if count == total, let last, !(first < last) { return }
        // Room for the entries that enter, filled by the merge (the repeated entry only initializes the slots).
        append(contentsOf: repeatElement(first, count: total - count))
        withUnsafeMutableBufferPointer { _ = EarliestEvents.merge(incoming, into: $0, count: count) }
    }

    /// Keeps the earliest `limit` of this sorted list and the sorted `incoming`, in place.
    mutating func keepEarliest(_ incoming: [Element], limit: Int) {
        incoming.withUnsafeBufferPointer { keepEarliest($0, limit: limit) }
    }
}
