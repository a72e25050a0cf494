import Testing
import TrailAnalysis
import TrailModel
import TrailStore
import TrailTestSupport

@testable import TrailEngine

@Suite("StoredHistory: a store's keys held once, sorted, with their buckets")
struct StoredHistoryTests {
    /// IDs of 20 characters, and some of 30 that share their first 24 (the sort's packed prefix) with another.
    static func ids(_ count: Int, using generator: inout SeededGenerator) -> [String] {
        var ids = Set<String>()
        while ids.count < count {
            let id = generator.accessKeyID(prefix: ["AKIA", "ASIA"].randomElement(using: &generator)!)
            ids.insert(id)
            if ids.count % 7 == 0 {
                let shared = id + "ABCD"
                ids.insert(shared + "EFGHIJ")
                ids.insert(shared + "EFGHIK")
            }
        }
        return Array(ids)
    }

    static func key(_ id: String, events: Int) -> KeyActivity {
        var key = KeyActivity(accessKeyID: AccessKeyID(id), principal: Principal(type: "IAMUser", userName: "u"))
        key.events = events
        return key
    }

    static func batch(_ keys: [KeyActivity]) -> ScanPipeline.Batch {
        ScanPipeline.Batch(
            stats: ScanStats(), coverage: Coverage(), keys: keys.sorted { $0.accessKeyID < $1.accessKeyID },
            observations: EventObservations(), files: [])
    }

    @Test(
        "stored keys in any order come out sorted by ID, each still with its own bucket",
        arguments: [1, 2, 3, 500, 5_000])
    func sortsStoredKeys(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) &* 0x9E37_79B9)
        let ids = Self.ids(count, using: &generator).shuffled(using: &generator)
        let keys = ids.enumerated().map { Self.key($1, events: $0 + 1) }
        let buckets = ids.map { UInt16(KeyBucket.index(of: $0)) }
        var history = StoredHistory(stored: (keys, buckets), lifecycle: [], coverage: Coverage())

        #expect(history.keys.map(\.accessKeyID.value) == ids.sorted())
        // Each record moved whole: its events still say which ID it was made for.
        let events = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0 + 1) })
        #expect(history.keys.allSatisfy { events[$0.accessKeyID.value] == $0.events })

        // Every bucket is touched by a batch of one new key per bucket of the stored keys; the positions it lists
        // must hold exactly that bucket's keys, in ID order.
        let arriving = Set(buckets).map { bucket in
            var id = "AKIAZZZZ"
            while KeyBucket.index(of: id) != Int(bucket) { id += "Z" }
            return Self.key(id + String(bucket), events: 1)
        }.filter { events[$0.accessKeyID.value] == nil }
        let touched = history.add(Self.batch(arriving))
        for (bucket, positions) in touched {
            let inBucket = positions.map { history.keys[Int($0)].accessKeyID.value }
            #expect(inBucket.allSatisfy { KeyBucket.index(of: $0) == bucket })
            #expect(inBucket == inBucket.sorted())
            #expect(inBucket.count == history.keys.count { KeyBucket.index(of: $0.accessKeyID.value) == bucket })
        }
        #expect(history.keys.count == ids.count + arriving.count)
    }

    @Test("a first batch into an empty history is the history, and every bucket it has is touched")
    func firstBatch() {
        var generator = SeededGenerator(seed: 42)
        let keys = Self.ids(300, using: &generator).map { Self.key($0, events: 2) }
        var history = StoredHistory(stored: ([], []), lifecycle: [], coverage: Coverage())
        let touched = history.add(Self.batch(keys))
        #expect(history.keys.map(\.accessKeyID.value) == keys.map(\.accessKeyID.value).sorted())
        #expect(Set(touched.map(\.index)) == Set(keys.map { KeyBucket.index(of: $0.accessKeyID.value) }))
        #expect(touched.reduce(0) { $0 + $1.positions.count } == keys.count)
    }

    @Test(
        "a batch of keys with history and new ones merges in place: sums, order, buckets and the changes",
        arguments: [1, 40, 3_000])
    func mergesBatch(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) &+ 7)
        let ids = Self.ids(count * 2, using: &generator)
        let storedIDs = Array(ids.prefix(ids.count / 2)).shuffled(using: &generator)
        let newIDs = Array(ids.dropFirst(ids.count / 2))
        let stored = storedIDs.map { Self.key($0, events: 5) }
        var history = StoredHistory(
            stored: (stored, storedIDs.map { UInt16(KeyBucket.index(of: $0)) }), lifecycle: [], coverage: Coverage())
        // Every third stored key used again, and all the new ones.
        let again = storedIDs.sorted().enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let touched = history.add(
            Self.batch(again.map { Self.key($0, events: 2) } + newIDs.map { Self.key($0, events: 1) }))

        #expect(history.keys.map(\.accessKeyID.value) == ids.sorted())
        var expected = Dictionary(uniqueKeysWithValues: storedIDs.map { ($0, 5) } + newIDs.map { ($0, 1) })
        for id in again { expected[id] = 7 }
        #expect(history.keys.allSatisfy { expected[$0.accessKeyID.value] == $0.events })
        #expect(history.changes.map(\.before.accessKeyID.value) == again)
        #expect(history.changes.allSatisfy { $0.before.events == 5 && $0.after.events == 7 })
        var listed = 0
        for (bucket, positions) in touched {
            let inBucket = positions.map { history.keys[Int($0)].accessKeyID.value }
            #expect(inBucket.allSatisfy { KeyBucket.index(of: $0) == bucket })
            #expect(inBucket.count == history.keys.count { KeyBucket.index(of: $0.accessKeyID.value) == bucket })
            listed += positions.count
        }
        let buckets = Set((again + newIDs).map { KeyBucket.index(of: $0) })
        #expect(Set(touched.map(\.index)) == buckets)
        #expect(listed == history.keys.count { buckets.contains(KeyBucket.index(of: $0.accessKeyID.value)) })
    }
}
