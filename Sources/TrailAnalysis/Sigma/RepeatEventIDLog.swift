import TrailModel

/// The event IDs of one worker's Sigma finding groups' repeat matches: appended to one log as they arrive, and cut to
/// each group's earliest ``Finding/eventIDLimit`` when the log outgrows what the groups can keep, and at the end.
///
/// Kept in per-group sorted lists instead, each match of a noisy rule wrote to one of thousands of lists at random,
/// and those 10 MB per worker pushed the scan's own tables out of the caches: keeping the IDs cost 17% of a two-job
/// scan's CPU with SigmaHQ's rules, most of it in code that never touched them. Here a match writes the log's end.
///
/// Memory follows the groups: the log holds at most twice what the groups keep (or `minimumCapacity` entries).
struct RepeatEventIDLog {
    typealias TimedEventID = EventFindingGroup.TimedEventID

    /// A logged event; its ID's bytes are in ``idBytes``. Plain memory: logging and cutting retain nothing.
    private struct Entry {
        var time: Int64
        var group: Int32
        var idLength: UInt32
        var idOffset: Int
    }

    /// Per group: what the log holds of it since the last cut, and the time after which no event can enter.
    private struct Bound {
        var logged = 0
        var latest = Int64.min
        /// Once `limit` events are logged, the latest of them: an event after it is later than `limit` others.
        var cutoff = Int64.max
    }

    private var entries: [Entry] = []
    /// The logged IDs' bytes, one after another.
    private var idBytes: [UInt8] = []
    private var bounds: [Bound] = []
    private var capacity: Int
    private let limit: Int
    private let minimumCapacity: Int

    /// A log keeping `limit` events per group, cut when it holds `minimumCapacity` entries or twice what was kept.
    init(limit: Int = Finding.eventIDLimit, minimumCapacity: Int = 65_536) {
        self.limit = max(1, limit)
        self.minimumCapacity = max(1, minimumCapacity)
        capacity = self.minimumCapacity
    }

    /// Logs an event of `group`, unless the group already holds `limit` earlier ones.
    mutating func add(group: Int, time: Int64, eventID: UnsafeBufferPointer<UInt8>) {
        if group >= bounds.count { bounds.append(contentsOf: repeatElement(Bound(), count: group + 1 - bounds.count)) }
        // An event at the cutoff itself is logged: its ID settles the tie at the cut.
        guard time <= bounds[group].cutoff else { return }
        entries.append(Entry(time: time, group: Int32(group), idLength: UInt32(eventID.count), idOffset: idBytes.count))
        idBytes.append(contentsOf: eventID)
        var bound = bounds[group]
        bound.logged += 1
        bound.latest = max(bound.latest, time)
        if bound.logged >= limit && bound.cutoff == .max { bound.cutoff = bound.latest }
        bounds[group] = bound
        if entries.count >= capacity { cut() }
    }

    /// Each group's earliest `limit` events, earliest first, indexed by group (`groupCount` lists); the log starts
    /// empty again.
    mutating func take(groupCount: Int) -> [[TimedEventID]] {
        cut()
        var lists = [[TimedEventID]](repeating: [], count: max(groupCount, bounds.count))
        idBytes.withUnsafeBufferPointer { bytes in
            for entry in entries {
                let id = UnsafeBufferPointer(rebasing: bytes[entry.idOffset..<entry.idOffset + Int(entry.idLength)])
                lists[Int(entry.group)].append(TimedEventID(time: entry.time, eventID: EventID(id)))
            }
        }
        entries = []
        idBytes = []
        bounds = []
        capacity = minimumCapacity
        return lists
    }

    /// Keeps each group's earliest `limit` entries, grouped and in order, so the log holds what the groups keep;
    /// tightens each full group's cutoff to its latest kept event.
    private mutating func cut() {
        let groups = bounds.count
        // Entries by group (a counting sort: two passes, no per-group arrays), then each group's run sorted.
        var starts = [Int](repeating: 0, count: groups + 1)
        for entry in entries { starts[Int(entry.group) + 1] += 1 }
        for group in 0..<groups { starts[group + 1] += starts[group] }
        var next = starts
        var byGroup = entries
        for entry in entries {
            byGroup[next[Int(entry.group)]] = entry
            next[Int(entry.group)] += 1
        }
        var keptBytes: [UInt8] = []
        keptBytes.reserveCapacity(idBytes.count / 2)
        entries.removeAll(keepingCapacity: true)
        idBytes.withUnsafeBufferPointer { bytes in
            func id(_ entry: Entry) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[entry.idOffset..<entry.idOffset + Int(entry.idLength)])
            }
            for group in 0..<groups where starts[group + 1] > starts[group] {
                let run = starts[group]..<starts[group + 1]
                byGroup[run].sort { $0.time != $1.time ? $0.time < $1.time : EventID.precedes(id($0), id($1)) }
                let kept = run.prefix(limit)
                for position in kept {
                    var entry = byGroup[position]
                    let offset = keptBytes.count
                    keptBytes.append(contentsOf: id(entry))
                    entry.idOffset = offset
                    entries.append(entry)
                }
                let latest = byGroup[kept.last!].time
                bounds[group] = Bound(logged: kept.count, latest: latest, cutoff: kept.count >= limit ? latest : .max)
            }
        }
        idBytes = keptBytes
        capacity = max(minimumCapacity, entries.count * 2)
    }
}
