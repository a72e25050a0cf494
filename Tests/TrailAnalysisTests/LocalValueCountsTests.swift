import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("LocalValueCounts: one cache line per dimension, exact past its inline slots")
struct LocalValueCountsTests {
    /// Counts `values` (one event each) and returns the result as a dictionary of strings.
    private static func count(_ values: [String], cap: Int?, into counts: inout LocalValueCounts, space: ValueSpace) {
        for value in values {
            var padded = value + String(repeating: "\0", count: 16)
            padded.withUTF8 { buffer in
                counts.add(UnsafeBufferPointer(rebasing: buffer[..<value.utf8.count]), cap: cap, space: space)
            }
        }
    }

    private static func dictionary(_ counts: borrowing LocalValueCounts, _ interner: ByteInterner) -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: counts.resolved(ResolvedStrings(interner), cap: nil).entries.map {
                ($0.value, $0.count)
            })
    }

    @Test("a value is one 64-byte line, and key records take whole lines")
    func layout() {
        #expect(MemoryLayout<LocalValueCounts>.size == 64)
        #expect(KeyTable.slotSize % 64 == 0)
        #expect(KeyTable.slotSize >= MemoryLayout<LocalKeyActivity>.size)
        // Nine lines: a tenth would be one more line to load for every event of every key.
        #expect(KeyTable.slotSize == 9 * 64, "\(MemoryLayout<LocalKeyActivity>.size) bytes")
    }

    @Test("values beyond the four inline slots are counted exactly, in any order", arguments: [1, 3, 4, 5, 40])
    func beyondInline(distinct: Int) {
        let interner = ByteInterner(seed: 7)
        let space = ValueSpace(interner: interner, literalIPv4: false)
        var events: [String] = []
        var expected: [String: Int] = [:]
        for index in 0..<distinct {
            let value = "value-\(index)"
            let repeats = 1 + index % 3
            events += Array(repeating: value, count: repeats)
            expected[value] = repeats
        }
        var generator = SeededGenerator(seed: UInt64(distinct))
        events.shuffle(using: &generator)
        var counts = LocalValueCounts()
        Self.count(events, cap: nil, into: &counts, space: space)
        #expect(counts.count == distinct)
        #expect(Self.dictionary(counts, interner) == expected)
    }

    @Test("absorbing keeps counts past 32 bits exact, moving them out of the inline slots")
    func countsPastThirtyTwoBits() {
        let interner = ByteInterner(seed: 9)
        let space = ValueSpace(interner: interner, literalIPv4: false)
        var a = LocalValueCounts()
        var b = LocalValueCounts()
        Self.count(["GetObject", "PutObject"], cap: nil, into: &a, space: space)
        Self.count(["GetObject"], cap: nil, into: &b, space: space)
        // Absorbing in turn grows the counts like Fibonacci numbers, past UInt32.max within 50 rounds.
        var expected = (a: 1, b: 1)
        // Same interner on both sides: the translation is the identity.
        let remap = IDRemap(from: interner, into: interner)
        for round in 0..<50 {
            if round.isMultiple(of: 2) {
                a.absorb(b, cap: nil, source: space, target: space, remap: remap)
                expected.a += expected.b
            } else {
                b.absorb(a, cap: nil, source: space, target: space, remap: remap)
                expected.b += expected.a
            }
        }
        #expect(expected.a > Int(UInt32.max) && expected.b > Int(UInt32.max))
        #expect(Self.dictionary(a, interner)["GetObject"] == expected.a)
        #expect(Self.dictionary(b, interner)["GetObject"] == expected.b)
        #expect(a.count == 2 && b.count == 2)
        // One more event still counts, now in the dictionary.
        Self.count(["GetObject"], cap: nil, into: &a, space: space)
        #expect(Self.dictionary(a, interner)["GetObject"] == expected.a + 1)
    }

    @Test("with a cap, the values with the smallest stable hashes are kept and the rest counted as other")
    func bottomK() {
        let interner = ByteInterner(seed: 11)
        let space = ValueSpace(interner: interner, literalIPv4: false)
        let values = (0..<50).map { "agent/\($0)" }
        var counts = LocalValueCounts()
        Self.count(values + values, cap: 6, into: &counts, space: space)
        let kept = Set(values.sorted { StableHash.hash($0) < StableHash.hash($1) }.prefix(6))
        let resolved = counts.resolved(ResolvedStrings(interner), cap: 6)
        #expect(Set(resolved.entries.map(\.value)) == kept)
        #expect(resolved.entries.allSatisfy { $0.count == 2 })
        #expect(resolved.otherCount == 100 - 12)
        #expect(resolved.isTruncated)
    }

    /// Counts each of `values` (raw bytes, which need not be UTF-8) `repeats` times.
    private static func count(
        bytes values: [[UInt8]], repeats: [Int], into counts: inout LocalValueCounts, space: ValueSpace
    ) {
        for (value, times) in zip(values, repeats) {
            // Room past the end: hashing reads whole words.
            let padded = value + [UInt8](repeating: 0, count: 16)
            padded.withUnsafeBufferPointer { buffer in
                for _ in 0..<times {
                    counts.add(UnsafeBufferPointer(rebasing: buffer[..<value.count]), cap: nil, space: space)
                }
            }
        }
    }

    @Test(
        "values ordered by their ranks come out as sorting the strings orders them",
        arguments: [2, 4, 5, 40])
    func rankedOrder(distinct: Int) {
        let interner = ByteInterner(seed: 11)
        let space = ValueSpace(interner: interner, literalIPv4: false)
        // Byte sequences that are not UTF-8 decode to the same string (U+FFFD). Interned here in the other order
        // than the counts below meet them, so a tie broken by id rather than by arrival would show.
        var other = LocalValueCounts()
        Self.count(bytes: [[0xFE], [0xFF]], repeats: [1, 1], into: &other, space: space)
        var values: [[UInt8]] = [
            [0xFF], [0xFE], Array("é".utf8), Array("e".utf8), Array("E".utf8), Array("ab".utf8), Array("a".utf8),
        ]
        for index in 0..<distinct { values.append(Array("GetObject\(index * 7 % distinct)".utf8)) }
        var generator = SeededGenerator(seed: UInt64(distinct))
        values[2...].shuffle(using: &generator)
        var counts = LocalValueCounts()
        Self.count(bytes: values, repeats: values.indices.map { $0 + 1 }, into: &counts, space: space)

        let bySorting = counts.resolved(ResolvedStrings(interner), cap: nil)
        let byRanks = counts.resolved(ResolvedStrings(interner, ranked: RankedStrings(interner)), cap: nil)
        #expect(byRanks.entries == bySorting.entries)
        #expect(byRanks.entries.count == values.count)
        // The two replacement characters keep the order they were counted in (counts 1 then 2).
        #expect(byRanks.entries.filter { $0.value == "\u{FFFD}" }.map(\.count) == [1, 2])
        #expect(zip(byRanks.entries, byRanks.entries.dropFirst()).allSatisfy { !($1.value < $0.value) })
    }
}
