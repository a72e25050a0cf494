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

    init(buckets: [[KeyActivity]], lifecycle: [KeyLifecycleEvent], coverage: Coverage) {
        (keys, bucketOf) = Self.sorted(buckets)
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
            bucketOf = batch.keys.map { UInt16(KeyBucket.index(of: $0.accessKeyID.value)) }
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
    private mutating func merge(_ arriving: [KeyActivity], touched: inout [Bool]) {
        let stored = keys
        let storedBuckets = bucketOf
        var merged: [KeyActivity] = []
        var mergedBuckets: [UInt16] = []
        merged.reserveCapacity(stored.count + arriving.count)
        mergedBuckets.reserveCapacity(stored.count + arriving.count)
        var i = 0
        var j = 0
        while i < stored.count || j < arriving.count {
            if j == arriving.count || (i < stored.count && stored[i].accessKeyID.value < arriving[j].accessKeyID.value)
            {
                merged.append(stored[i])
                mergedBuckets.append(storedBuckets[i])
                i += 1
            } else if i == stored.count || arriving[j].accessKeyID.value < stored[i].accessKeyID.value {
                let bucket = UInt16(KeyBucket.index(of: arriving[j].accessKeyID.value))
                merged.append(arriving[j])
                mergedBuckets.append(bucket)
                touched[Int(bucket)] = true
                j += 1
            } else {
                var key = stored[i]
                let id = key.accessKeyID.value
                if before[id] == nil { before[id] = key }
                key.merge(arriving[j])
                merged.append(key)
                mergedBuckets.append(storedBuckets[i])
                touched[Int(storedBuckets[i])] = true
                i += 1
                j += 1
            }
        }
        keys = merged
        bucketOf = mergedBuckets
    }

    /// The stored buckets' keys in one array sorted by access key ID, with each key's bucket.
    ///
    /// Positions in the buckets are sorted by the IDs' bytes packed into integers, reading each record's ID in place,
    /// then gathered: key records are large structs whose every copy retains each of their parts, so each is copied
    /// once, into the result.
    private static func sorted(_ buckets: [[KeyActivity]]) -> ([KeyActivity], [UInt16]) {
        var order: [SortKey] = []
        order.reserveCapacity(buckets.reduce(0) { $0 + $1.count })
        for bucket in buckets.indices {
            buckets[bucket].withUnsafeBufferPointer { keys in
                for index in keys.indices {
                    order.append(SortKey(keys[index].accessKeyID.value, bucket: bucket, index: index))
                }
            }
        }
        order.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            if a.isExact && b.isExact { return false }
            return buckets[a.bucket][a.index].accessKeyID.value < buckets[b.bucket][b.index].accessKeyID.value
        }
        return (order.map { buckets[$0.bucket][$0.index] }, order.map { UInt16($0.bucket) })
    }

    /// The first 24 bytes of an ID in three big-endian integers (zero-padded): comparing them compares the IDs
    /// (access key IDs are 20 ASCII characters); longer IDs with equal prefixes fall back to comparing strings.
    private struct SortKey {
        var prefix: Prefix
        var bucket: Int
        var index: Int
        var isExact: Bool

        struct Prefix: Equatable, Comparable {
            var words: (UInt64, UInt64, UInt64)
            static func == (a: Prefix, b: Prefix) -> Bool { a.words == b.words }
            static func < (a: Prefix, b: Prefix) -> Bool { a.words < b.words }
        }

        init(_ id: String, bucket: Int, index: Int) {
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
            self.bucket = bucket
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
