/// The one way a list of events keeps its earliest few (by time, then ID): a finding group's event IDs, a window
/// minute's, and a Sigma tally's kept events all merge through ``merge(_:into:count:limit:)``, whether one event
/// arrives (a rule's match) or a whole list (another worker's group).
///
/// The merge works in place in storage the caller owns, so that keeping one more event allocates nothing: an array
/// (``Swift/Array/keepEarliest(_:limit:)``) or a raw buffer that lives next to the data the caller has just read.
enum EarliestEvents {
    typealias Entry = EventFindingGroup.TimedEventID

    /// Merges the sorted `incoming` into the sorted `count` entries at `list`, keeping the earliest `limit` of both;
    /// an entry already kept comes first among equal ones. `list` has room for `limit` entries, of which the first
    /// `count` are initialized; on return the first `min(count + incoming.count, limit)` are, and entries that no
    /// longer fit have been deinitialized.
    /// - Returns: how many entries `list` now keeps.
    static func merge(
        _ incoming: UnsafeBufferPointer<Entry>, into list: UnsafeMutablePointer<Entry>, count: Int, limit: Int
    ) -> Int {
        let total = min(count + incoming.count, limit)
        guard !incoming.isEmpty else { return count }
        // Records mostly arrive in time order: entries not before the last kept one go after it, with no search.
        if count == 0 || !(incoming[0] < list[count - 1]) {
            (list + count).initialize(from: incoming.baseAddress!, count: total - count)
            return total
        }
        // Kept entries not after the first incoming one stay where they are; where they end is found by binary
        // search.
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if incoming[0] < list[middle] { high = middle } else { low = middle + 1 }
        }
        let start = low
        // How many of each list the earliest `total` take.
        var (kept, taken) = (start, 0)
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
        // Kept entries past the first `kept` no longer fit; then a merge from the back moves each run of kept
        // entries once (a memmove) and copies each incoming entry into the gap before it.
        (list + kept).deinitialize(count: count - kept)
        var (from, to) = (kept - 1, total - 1)
        for source in stride(from: taken - 1, through: 0, by: -1) {
            var run = 0
            while from - run >= start && incoming[source] < list[from - run] { run += 1 }
            if run > 0 {
                (list + to - run + 1).moveInitialize(from: list + from - run + 1, count: run)
                (from, to) = (from - run, to - run)
            }
            (list + to).initialize(to: incoming[source])
            to -= 1
        }
        return total
    }
}

extension Array where Element == EarliestEvents.Entry {
    /// Keeps the earliest `limit` of this sorted list and the sorted `incoming` (see
    /// ``EarliestEvents/merge(_:into:count:limit:)``), in place.
    mutating func keepEarliest(_ incoming: UnsafeBufferPointer<Element>, limit: Int) {
        if self.count > limit { removeLast(self.count - limit) }
        let count = self.count
        let total = Swift.min(count + incoming.count, limit)
        guard let first = incoming.first else { return }
        // Entries not before the last kept one (and with them every later one) go after it, if there is room: the
        // usual case, as records mostly arrive in time order.
        if last.map({ !(first < $0) }) ?? true {
            append(contentsOf: incoming.prefix(total - count))
            return
        }
        // Room for the entries that enter, which the merge fills: the array grows by placeholders (copies of an
        // incoming entry), which are deinitialized for it.
        append(contentsOf: repeatElement(first, count: total - count))
        withUnsafeMutableBufferPointer { list in
            let base = list.baseAddress!
            (base + count).deinitialize(count: total - count)
            _ = EarliestEvents.merge(incoming, into: base, count: count, limit: total)
        }
    }

    /// Keeps the earliest `limit` of this sorted list and the sorted `incoming`, in place.
    mutating func keepEarliest(_ incoming: [Element], limit: Int) {
        incoming.withUnsafeBufferPointer { keepEarliest($0, limit: limit) }
    }
}
