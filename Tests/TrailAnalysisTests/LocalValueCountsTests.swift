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
}
