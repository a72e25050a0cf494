import TrailAnalysis
import TrailModel
import TrailStore

/// A state store's history with a run's batches merged in as they are read: every key's activity, lifecycle
/// events and coverage, and for each key the run touched, what it was before the run (for rules about what is new).
///
/// The keys are held once, sorted by access key ID (what the key rules and the output read), with each key's
/// bucket beside it; the buckets to write are positions in that array. Keeping them also as an array per bucket
/// copied every record once more (each copy retains every string and array in it): 25-30 ms of a first run's
/// 50,000 keys on the thread the rest waits for.
struct StoredHistory: Sendable {
    /// Every key, sorted by access key ID.
    private(set) var keys: [KeyActivity]
    /// Each key's bucket (``KeyBucket/index(of:)``), at its position in `keys`.
    private var bucketOf: [UInt16]
    /// The activity before this run of keys this run touched that had history.
    private var before: [String: KeyActivity] = [:]
    private var lifecycleSeen: Set<String>
    private(set) var lifecycle: [KeyLifecycleEvent]
    private(set) var coverage: Coverage

    /// The buckets a batch touched: each bucket's index and the positions in ``keys`` of all its keys, in order.
    typealias Touched = [(index: Int, positions: [Int32])]

    /// Holds a store's history, its keys sorted.
    /// - Parameters:
    ///   - stored: the store's keys in any order, with each key's bucket (``StateStore/storedKeys(threads:)``).
    init(stored: (keys: [KeyActivity], buckets: [UInt16]), lifecycle: [KeyLifecycleEvent], coverage: Coverage) {
        (keys, bucketOf) = stored
        Self.sort(&keys, &bucketOf)
        self.lifecycle = lifecycle
        self.lifecycleSeen = Set(lifecycle.map(Self.identity))
        self.coverage = coverage
    }

    var keyCount: Int { keys.count }

    /// Merges a batch in.
    /// - Returns: every bucket the batch touched, with all its keys: the rows to write (positions in ``keys``).
    mutating func add(_ batch: ScanPipeline.Batch) -> Touched {
        var touched = [Bool](repeating: false, count: KeyBucket.count)
        if keys.isEmpty {
            // A first run: the batch is the history, shared rather than copied.
            keys = batch.keys
            // Read in place: mapping over the records would copy each to read its ID.
            bucketOf = keys.withUnsafeBufferPointer { keys in
                keys.indices.map { UInt16(KeyBucket.index(of: keys[$0].accessKeyID.value)) }
            }
            for bucket in bucketOf { touched[Int(bucket)] = true }
        } else {
            merge(batch.keys, touched: &touched)
        }
        for change in batch.observations.lifecycle where lifecycleSeen.insert(Self.identity(change)).inserted {
            lifecycle.append(change)
        }
        coverage.merge(batch.coverage)
        var positions = [[Int32]](repeating: [], count: KeyBucket.count)
        for (position, bucket) in bucketOf.enumerated() where touched[Int(bucket)] {
            positions[Int(bucket)].append(Int32(position))
        }
        return positions.enumerated().compactMap { index, positions in
            positions.isEmpty ? nil : (index, positions)
        }
    }

    /// Merges keys sorted by ID into ``keys``, remembering the earlier activity of keys in both and marking the
    /// buckets of the arriving keys.
    ///
    /// In place: keys with history are merged where they are, and the new ones are moved in from the end, so no
    /// record already held is copied. (Building a merged array copied every stored record, retaining each of its
    /// strings and arrays, and released the originals: ~50 ms of a nightly run over 50,000 keys.)
    private mutating func merge(_ arriving: [KeyActivity], touched: inout [Bool]) {
        var fresh: [KeyActivity] = []
        var freshBuckets: [UInt16] = []
        // Taken out while the keys are changed in place (and so not shared with a copy that a change would copy).
        var before: [String: KeyActivity] = [:]
        swap(&before, &self.before)
        keys.withUnsafeMutableBufferPointer { stored in
            var i = 0
            for j in arriving.indices {
                let id = arriving[j].accessKeyID.value
                while i < stored.count && stored[i].accessKeyID.value < id { i += 1 }
                if i < stored.count && stored[i].accessKeyID.value == id {
                    if before[id] == nil { before[id] = stored[i] }
                    stored[i].merge(arriving[j])
                    touched[Int(bucketOf[i])] = true
                    i += 1
                } else {
                    let bucket = UInt16(KeyBucket.index(of: id))
                    fresh.append(arriving[j])
                    freshBuckets.append(bucket)
                    touched[Int(bucket)] = true
                }
            }
        }
        swap(&before, &self.before)
        guard !fresh.isEmpty else { return }
        // Both runs are sorted: merge from the back, moving the stored records up and the new ones in.
        let storedCount = keys.count
        keys.append(contentsOf: fresh)
        bucketOf.append(contentsOf: freshBuckets)
        fresh = []
        keys.withUnsafeMutableBufferPointer { all in
            let records = all.baseAddress!
            let newCount = all.count - storedCount
            let incoming = UnsafeMutablePointer<KeyActivity>.allocate(capacity: newCount)
            defer { incoming.deallocate() }
            incoming.moveInitialize(from: records + storedCount, count: newCount)
            var write = all.count - 1
            var i = storedCount - 1
            var j = newCount - 1
            while j >= 0 {
                if i >= 0 && records[i].accessKeyID.value > incoming[j].accessKeyID.value {
                    (records + write).moveInitialize(from: records + i, count: 1)
                    bucketOf[write] = bucketOf[i]
                    i -= 1
                } else {
                    (records + write).moveInitialize(from: incoming + j, count: 1)
                    bucketOf[write] = freshBuckets[j]
                    j -= 1
                }
                write -= 1
            }
        }
    }

    /// Sorts `keys` by access key ID, and `buckets` with them.
    ///
    /// The order is found on the IDs' bytes packed into integers, reading each record's ID in place, and then applied
    /// by moving each record once along the cycles of the permutation: gathering the records into a new array in
    /// that order copied each (retaining every string and array in it, and releasing the originals after), ~50 ms
    /// of a nightly run's load on the thread the rest waits for.
    private static func sort(_ keys: inout [KeyActivity], _ buckets: inout [UInt16]) {
        var order: [SortKey] = []
        order.reserveCapacity(keys.count)
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices { order.append(SortKey(keys[index].accessKeyID.value, index: index)) }
        }
        order.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            if a.isExact && b.isExact { return false }
            return keys[a.index].accessKeyID.value < keys[b.index].accessKeyID.value
        }
        // Position p receives the record at order[p].index; each cycle starts by lifting its first record out.
        var placed = [Bool](repeating: false, count: keys.count)
        keys.withUnsafeMutableBufferPointer { keys in
            let records = keys.baseAddress!
            for start in order.indices where !placed[start] {
                placed[start] = true
                guard order[start].index != start else { continue }
                let lifted = (records + start).move()
                let liftedBucket = buckets[start]
                var position = start
                while order[position].index != start {
                    let source = order[position].index
                    (records + position).moveInitialize(from: records + source, count: 1)
                    buckets[position] = buckets[source]
                    placed[source] = true
                    position = source
                }
                (records + position).initialize(to: lifted)
                buckets[position] = liftedBucket
            }
        }
    }

    /// The first 24 bytes of an ID in three big-endian integers (zero-padded): comparing them compares the IDs
    /// (access key IDs are 20 ASCII characters); longer IDs with equal prefixes fall back to comparing strings.
    private struct SortKey {
        var prefix: Prefix
        var index: Int
        var isExact: Bool

        struct Prefix: Equatable, Comparable {
            var words: (UInt64, UInt64, UInt64)
            static func == (a: Prefix, b: Prefix) -> Bool { a.words == b.words }
            static func < (a: Prefix, b: Prefix) -> Bool { a.words < b.words }
        }

        init(_ id: String, index: Int) {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            for (count, byte) in id.utf8.prefix(24).enumerated() {
                let bits = UInt64(byte) << UInt64(56 - 8 * (count % 8))
                switch count / 8 {
                case 0: words.0 |= bits
                case 1: words.1 |= bits
                default: words.2 |= bits
                }
            }
            prefix = Prefix(words: words)
            self.index = index
            isExact = id.utf8.count <= 24
        }
    }

    /// Keys that had history and were used again in this run, before and after, in ID order.
    var changes: [NewNetworkRule.Change] {
        guard !before.isEmpty else { return [] }
        // Looked up in key order: sorting the earlier records by ID and searching each in the keys cost ~40 ms of
        // a nightly run with 10,000 keys used again.
        var changes: [NewNetworkRule.Change] = []
        changes.reserveCapacity(before.count)
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices {
                if let old = before[keys[index].accessKeyID.value] {
                    changes.append(NewNetworkRule.Change(before: old, after: keys[index]))
                }
            }
        }
        return changes
    }

    /// A lifecycle event's identity: its CloudTrail event ID, or what it says when it has none.
    private static func identity(_ change: KeyLifecycleEvent) -> String {
        change.eventID ?? "\(change.accessKeyId):\(change.time):\(change.action.rawValue)"
    }
}
