import TrailAnalysis
import TrailModel
import TrailStore

/// A state store's history with a run's batches merged in as they are read: every key's activity (in the store's
/// buckets), lifecycle events and coverage, and for each key the run touched, what it was before the run (for rules
/// about what is new).
struct StoredHistory: Sendable {
    /// ``KeyBucket/count`` buckets, each sorted by access key ID.
    private var buckets: [[KeyActivity]]
    /// The activity before this run of keys this run touched that had history.
    private var before: [String: KeyActivity] = [:]
    private var lifecycleSeen: Set<String>
    private(set) var lifecycle: [KeyLifecycleEvent]
    private(set) var coverage: Coverage
    private(set) var keyCount: Int
    /// Every key sorted, while that is known without sorting: the first batch into an empty history is it.
    private var sortedCache: [KeyActivity]?

    init(buckets: [[KeyActivity]], lifecycle: [KeyLifecycleEvent], coverage: Coverage) {
        self.buckets = buckets
        self.lifecycle = lifecycle
        self.lifecycleSeen = Set(lifecycle.map(Self.identity))
        self.coverage = coverage
        self.keyCount = buckets.reduce(0) { $0 + $1.count }
        self.sortedCache = keyCount == 0 ? [] : nil
    }

    /// Merges a batch in.
    /// - Returns: every bucket the batch touched, with all its keys: the rows to write.
    mutating func add(_ batch: ScanPipeline.Batch) -> [(index: Int, keys: [KeyActivity])] {
        sortedCache = sortedCache?.isEmpty == true ? batch.keys : nil
        // The batch is sorted by key, so each bucket's share comes out sorted too.
        var incoming = [[KeyActivity]](repeating: [], count: KeyBucket.count)
        for activity in batch.keys { incoming[KeyBucket.index(of: activity.accessKeyID.value)].append(activity) }
        var touched: [(index: Int, keys: [KeyActivity])] = []
        for (index, arriving) in incoming.enumerated() where !arriving.isEmpty {
            let merged = merge(buckets[index], arriving)
            keyCount += merged.count - buckets[index].count
            buckets[index] = merged
            touched.append((index, merged))
        }
        for change in batch.observations.lifecycle where lifecycleSeen.insert(Self.identity(change)).inserted {
            lifecycle.append(change)
        }
        coverage.merge(batch.coverage)
        return touched
    }

    /// Merges two runs of keys sorted by ID, remembering the earlier activity of keys in both.
    private mutating func merge(_ stored: [KeyActivity], _ arriving: [KeyActivity]) -> [KeyActivity] {
        if stored.isEmpty { return arriving }
        var merged: [KeyActivity] = []
        merged.reserveCapacity(stored.count + arriving.count)
        var i = 0
        var j = 0
        while i < stored.count || j < arriving.count {
            if j == arriving.count || (i < stored.count && stored[i].accessKeyID.value < arriving[j].accessKeyID.value)
            {
                merged.append(stored[i])
                i += 1
            } else if i == stored.count || arriving[j].accessKeyID.value < stored[i].accessKeyID.value {
                merged.append(arriving[j])
                j += 1
            } else {
                var key = stored[i]
                let id = key.accessKeyID.value
                if before[id] == nil { before[id] = key }
                key.merge(arriving[j])
                merged.append(key)
                i += 1
                j += 1
            }
        }
        return merged
    }

    /// Every key, sorted by access key ID.
    func sortedKeys() -> [KeyActivity] {
        if let sortedCache { return sortedCache }
        // Sort positions in the buckets by the IDs' bytes packed into integers, reading each record's ID in place,
        // then gather: key records are large structs whose every copy retains each of their parts, so each is copied
        // once, into the result (gathering them into one array first, then sorting, copied each twice and freed the
        // first copies: most of a nightly run's 100 ms here).
        var order: [SortKey] = []
        order.reserveCapacity(keyCount)
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
        return order.map { buckets[$0.bucket][$0.index] }
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

    /// Keys that had history and were used again in this run, before and after.
    var changes: [NewNetworkRule.Change] {
        before.sorted { $0.key < $1.key }.compactMap { id, old in
            let bucket = buckets[KeyBucket.index(of: id)]
            return bucket.first { $0.accessKeyID.value == id }.map { NewNetworkRule.Change(before: old, after: $0) }
        }
    }

    /// A lifecycle event's identity: its CloudTrail event ID, or what it says when it has none.
    private static func identity(_ change: KeyLifecycleEvent) -> String {
        change.eventID ?? "\(change.accessKeyId):\(change.time):\(change.action.rawValue)"
    }
}
