import Testing
import TrailModel
import TrailTestSupport

@Suite("ValueCounts: exact below the cap, a deterministic bottom-k sample above it")
struct ValueCountsTests {
    @Test("exact counts without a cap")
    func exact() {
        var counts = ValueCounts(capacity: nil)
        for value in ["b", "a", "b", "c", "b"] { counts.add(value) }
        #expect(counts.entries.map(\.value) == ["a", "b", "c"])
        #expect(counts["b"] == 3)
        #expect(counts.sortedByCount.first?.value == "b")
        #expect(counts.total == 5)
        #expect(!counts.isTruncated)
        #expect(counts.distinctCount == 3)
    }

    @Test("mostFrequent is sortedByCount's first, ties broken by value", arguments: [0, 1, 2, 5, 40])
    func mostFrequent(distinct: Int) {
        var generator = SeededGenerator(seed: 0x746F_70 &+ UInt64(distinct))
        for _ in 0..<50 {
            var counts = ValueCounts(capacity: nil)
            for index in 0..<distinct {
                // Few distinct counts, so the most frequent often ties.
                counts.add("value-\((index * 7_919) % 101)", count: Int.random(in: 1...3, using: &generator))
            }
            #expect(counts.mostFrequent == counts.sortedByCount.first)
        }
    }

    @Test("past the cap: exactly cap values kept, the rest counted, totals preserved")
    func capped() {
        var counts = ValueCounts(capacity: 16)
        for index in 0..<1_000 { counts.add("10.0.\(index / 256).\(index % 256)", count: 2) }
        #expect(counts.entries.count == 16)
        #expect(counts.isTruncated)
        #expect(counts.total == 2_000)
        #expect(counts.otherCount == 2_000 - 32)
        // Kept values are exactly those with the 16 smallest stable hashes.
        let expected = (0..<1_000).map { "10.0.\($0 / 256).\($0 % 256)" }.sorted {
            StableHash.hash($0) < StableHash.hash($1)
        }
        #expect(Set(counts.entries.map(\.value)) == Set(expected.prefix(16)))
    }

    @Test("the distinct estimate is close for a large set", arguments: [2_000, 20_000])
    func estimate(distinct: Int) {
        var counts = ValueCounts(capacity: 256)
        for index in 0..<distinct { counts.add("agent-\(index)") }
        let error = abs(Double(counts.distinctCount - distinct)) / Double(distinct)
        #expect(error < 0.2, "estimate \(counts.distinctCount) for \(distinct)")
    }

    @Test("merging partitions in any order and grouping gives the same result", arguments: [1, 2, 3, 7])
    func mergeIsOrderIndependent(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<3_000).map { _ in "ip-\(Int.random(in: 0..<800, using: &generator))" }
        var whole = ValueCounts(capacity: 64)
        for value in values { whole.add(value) }
        var parts = Array(repeating: ValueCounts(capacity: 64), count: 5)
        for value in values { parts[Int.random(in: 0..<5, using: &generator)].add(value) }
        var leftToRight = ValueCounts(capacity: 64)
        for part in parts { leftToRight.merge(part) }
        var rightToLeft = ValueCounts(capacity: 64)
        for part in parts.reversed() { rightToLeft.merge(part) }
        var pairwise = parts[0]
        var rest = parts[2]
        rest.merge(parts[3])
        pairwise.merge(parts[1])
        rest.merge(parts[4])
        pairwise.merge(rest)
        #expect(leftToRight == whole)
        #expect(rightToLeft == whole)
        #expect(pairwise == whole)
    }

    @Test(
        "JSON counts list values most frequent first, ties by value, below and above 16 values",
        arguments: [0, 1, 5, 16, 17, 40])
    func writtenOrder(distinct: Int) throws {
        var generator = SeededGenerator(seed: UInt64(distinct) + 1)
        var counts = ValueCounts(capacity: nil)
        for index in 0..<distinct {
            // Few distinct counts, so ties are common and the value decides.
            counts.add(
                "value-\(Int.random(in: 0..<1_000, using: &generator))-\(index)",
                count: Int.random(in: 1...3, using: &generator))
        }
        let writer = JSONWriter()
        counts.writeCounts(into: writer)
        let expected = JSONWriter()
        expected.beginObject()
        for entry in counts.entries.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }) {
            expected.field(entry.value, entry.count)
        }
        expected.endObject()
        #expect(writer.text == expected.text)
        #expect(writer.text.components(separatedBy: ",").count == max(distinct, 1))
    }
}
