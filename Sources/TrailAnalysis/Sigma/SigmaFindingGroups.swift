import TrailModel

/// One worker's finding groups of Sigma rules, addressed by key and by a hash fingerprint of (rule, principal,
/// hour), so that a repeat match — most matches of a noisy rule — touches a small tally and nothing else: no String
/// built, no group copied, event names counted by interned ids.
///
/// A class with unchecked exclusivity on its hot properties: it is owned by one worker's engine and never shared,
/// and dynamic access checks were a measurable part of the per-match cost.
final class SigmaFindingGroups {
    /// What a repeat match changes, kept apart from the (large) group.
    private struct Tally {
        var firstSeen: Int64
        var lastSeen: Int64
        var repeats = 0
        /// The earliest event IDs of the repeat matches, sorted (room for ``Finding/eventIDLimit``, allocated at the
        /// first; merged by ``EarliestEvents``). Reached from the tally the repeat path has already loaded: keeping
        /// them in the group's own list cost two or three cache misses per event while it filled. Joined with the
        /// group's list in ``take()``.
        var kept: UnsafeMutablePointer<EventFindingGroup.TimedEventID>?
        var keptCount = 0
        /// The time of the last of ``kept`` (stored, though derivable, to spare reading the list): once the list is
        /// full, a later event cannot enter it, and the repeat path skips it on this alone.
        var keptLastTime = Int64.min
        /// The group's first event names (by hash) and their counts, inline: counting a name is a scan of a few
        /// lines of a structure already in cache. A role's hour of calls often has more than eight names (17 in the
        /// benchmark corpus), and the shared table further names go to (``nameCounts``) is large enough to miss.
        var nameHashes = InlineArray<24, UInt64>(repeating: 0)
        var nameTallies = InlineArray<24, Int32>(repeating: 0)
        var namesUsed = 0
    }

    @exclusivity(unchecked) private var groups: [EventFindingGroup] = []
    /// Per group, in a raw buffer read in place: through an array, each access to a field of a tally copied it.
    @exclusivity(unchecked) private var tallies = GrowableBuffer<Tally>()
    @exclusivity(unchecked) private var byFingerprint = FingerprintTable()
    /// Repeat events per group and interned name: a mixed (group << 32 | name id) → position in ``counts``.
    @exclusivity(unchecked) private var nameCounts = FingerprintTable()
    @exclusivity(unchecked) private var counts: [Int] = []
    /// The (group << 32 | name id) of each of ``counts``.
    @exclusivity(unchecked) private var nameCountKeys: [UInt64] = []
    /// Interned event names: a hash of the name's bytes → its id in ``nameTexts``.
    @exclusivity(unchecked) private var names = FingerprintTable()
    @exclusivity(unchecked) private var nameTexts: [[UInt8]] = []
    @exclusivity(unchecked) private var lastFingerprint: UInt64 = 0
    @exclusivity(unchecked) private var lastIndex = -1
    private var byKey: [String: Int] = [:]

    deinit {
        for index in 0..<tallies.count { releaseKept(tallies[index]) }
        tallies.removeAll()
        tallies.deallocate()
    }

    /// Adds a later event to the group with `fingerprint`.
    /// - Returns: false when there is no such group or the event is not later than its first (the slow path then
    ///   builds the match, whose evidence an earlier event replaces).
    func addRepeat(
        _ fingerprint: UInt64, time: Int64, eventID: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let index: Int
        if fingerprint == lastFingerprint && lastIndex >= 0 {
            index = lastIndex
        } else {
            guard let found = byFingerprint[fingerprint] else { return false }
            index = found
            lastFingerprint = fingerprint
            lastIndex = index
        }
        let tally = tallies[index]
        guard time > tally.pointee.firstSeen else { return false }
        tally.pointee.repeats += 1
        if time > tally.pointee.lastSeen { tally.pointee.lastSeen = time }
        if tally.pointee.keptCount < Finding.eventIDLimit || time <= tally.pointee.keptLastTime {
            keep(time: time, eventID: eventID, in: tally)
        }
        count(name, group: index)
        return true
    }

    /// Keeps the event among the tally's earliest ``Finding/eventIDLimit``, if it is one of them, through
    /// ``EarliestEvents``.
    private func keep(time: Int64, eventID: UnsafeBufferPointer<UInt8>, in tally: UnsafeMutablePointer<Tally>) {
        let limit = Finding.eventIDLimit
        let count = tally.pointee.keptCount
        if count == limit, let last = tally.pointee.kept?[limit - 1] {
            // Full: only an event before the latest kept enters, decided before its id is packed.
            guard time < last.time || (time == last.time && last.eventID.comesAfter(eventID)) else { return }
        }
        let entry = EventFindingGroup.TimedEventID(time: time, eventID: EventID(eventID))
        let kept = tally.pointee.kept ?? .allocate(capacity: limit)
        tally.pointee.kept = kept
        if time > tally.pointee.keptLastTime {
            // After every kept event (so the list has room: a full one returned above): appended without reading
            // the list, which would be a cache miss.
            (kept + count).initialize(to: entry)
            tally.pointee.keptCount = count + 1
            tally.pointee.keptLastTime = time
            return
        }
        let keptCount = withUnsafePointer(to: entry) {
            EarliestEvents.merge(UnsafeBufferPointer(start: $0, count: 1), into: kept, count: count, limit: limit)
        }
        tally.pointee.keptCount = keptCount
        tally.pointee.keptLastTime = kept[keptCount - 1].time
    }

    /// Frees the tally's kept events.
    private func releaseKept(_ tally: UnsafeMutablePointer<Tally>) {
        guard let kept = tally.pointee.kept else { return }
        kept.deinitialize(count: tally.pointee.keptCount)
        kept.deallocate()
        tally.pointee.kept = nil
        tally.pointee.keptCount = 0
        tally.pointee.keptLastTime = .min
    }

    /// Adds a match to the group with `key`, starting it with `start` when there is none.
    func add(key: String, fingerprint: UInt64, _ start: () -> EventFindingGroup) {
        let single = start()
        let index: Int
        if let existing = byKey[key] {
            index = existing
            groups[index].merge(single)
            tallies[index].pointee.firstSeen = groups[index].firstSeen
        } else {
            index = groups.count
            byKey[key] = index
            groups.append(single)
            tallies.append(Tally(firstSeen: single.firstSeen, lastSeen: single.lastSeen))
        }
        byFingerprint[fingerprint] = index
        lastFingerprint = fingerprint
        lastIndex = index
    }

    /// The groups by key, with their repeat events counted in; the collection starts empty again.
    func take() -> [String: EventFindingGroup] {
        // Taken out first, so that the groups are changed in place rather than copied (with a retain per field).
        var result = groups
        groups = []
        // Each name becomes a String once, not once per group that counts it.
        let nameStrings = nameTexts.map { String(decoding: $0, as: UTF8.self) }
        for index in 0..<tallies.count {
            if let kept = tallies[index].pointee.kept {
                result[index].events.keepEarliest(
                    UnsafeBufferPointer(start: kept, count: tallies[index].pointee.keptCount),
                    limit: Finding.eventIDLimit)
                releaseKept(tallies[index])
            }
            let tally = tallies[index].pointee
            result[index].count += tally.repeats
            result[index].lastSeen = max(result[index].lastSeen, tally.lastSeen)
            result[index].eventNames.reserveCapacity(result[index].eventNames.count + tally.namesUsed)
            for slot in 0..<tally.namesUsed {
                let name = nameStrings[names[tally.nameHashes[slot]]!]
                result[index].eventNames[name, default: 0] += Int(tally.nameTallies[slot])
            }
        }
        for (key, count) in zip(nameCountKeys, counts) {
            result[Int(key >> 32)].eventNames[nameStrings[Int(key & 0xFFFF_FFFF)], default: 0] += count
        }
        // Keyed by the Strings kept since each group started, the groups moved rather than copied (a copy retained
        // every field, and freeing the array released them again).
        var keys = [String](repeating: "", count: result.count)
        for (key, index) in byKey { keys[index] = key }
        var keyed: [String: EventFindingGroup] = [:]
        keyed.reserveCapacity(result.count)
        while let group = result.popLast() { keyed[keys[result.count]] = group }
        tallies.removeAll()
        byFingerprint = FingerprintTable()
        nameCounts = FingerprintTable()
        counts = []
        nameCountKeys = []
        lastIndex = -1
        byKey = [:]
        return keyed
    }

    /// Counts one event named `name` for `group`. Names are told apart by a 64-bit hash of their bytes (two
    /// CloudTrail event names with the same hash are not to be expected).
    private func count(_ name: UnsafeBufferPointer<UInt8>, group: Int) {
        let hash = name.isEmpty ? 1 : StableHash.hash(name.baseAddress!, count: name.count)
        let tally = tallies[group]
        let used = tally.pointee.namesUsed
        for slot in 0..<used where tally.pointee.nameHashes[slot] == hash {
            tally.pointee.nameTallies[slot] += 1
            return
        }
        let id = intern(name, hash: hash)
        if used < tally.pointee.nameHashes.count {
            tally.pointee.nameHashes[used] = hash
            tally.pointee.nameTallies[used] = 1
            tally.pointee.namesUsed = used + 1
            return
        }
        let key = UInt64(group) << 32 | UInt64(id)
        let slot = StableHash.finalize(key)
        if let position = nameCounts[slot] {
            counts[position] += 1
        } else {
            nameCounts[slot] = counts.count
            nameCountKeys.append(key)
            counts.append(1)
        }
    }

    private func intern(_ name: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        if let id = names[hash] { return id }
        let id = nameTexts.count
        names[hash] = id
        nameTexts.append(Array(name))
        return id
    }
}

/// An open-addressing table from well-mixed 64-bit hashes to small integers; the hash itself is the slot, so a
/// lookup is a few integer compares in one cache line (Swift's Dictionary would hash the hash again).
///
/// A class over a raw allocation: a lookup from the per-match path retains and releases nothing.
final class FingerprintTable {
    private struct Slot {
        var key: UInt64
        var value: Int32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var count = 0

    init() {
        mask = 63
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(key: 0, value: -1), count: mask + 1)
    }

    deinit { slots.deallocate() }

    subscript(key: UInt64) -> Int? {
        get {
            var position = Int(truncatingIfNeeded: key) & mask
            while slots[position].value >= 0 {
                if slots[position].key == key { return Int(slots[position].value) }
                position = (position + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }
            if (count + 1) * 2 > mask + 1 { grow() }
            var position = Int(truncatingIfNeeded: key) & mask
            while slots[position].value >= 0 && slots[position].key != key { position = (position + 1) & mask }
            if slots[position].value < 0 { count += 1 }
            slots[position] = Slot(key: key, value: Int32(newValue))
        }
    }

    private func grow() {
        let old = slots
        let oldCapacity = mask + 1
        mask = oldCapacity * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(key: 0, value: -1), count: mask + 1)
        count = 0
        for index in 0..<oldCapacity where old[index].value >= 0 { self[old[index].key] = Int(old[index].value) }
        old.deallocate()
    }
}
