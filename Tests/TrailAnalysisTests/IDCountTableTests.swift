import Testing
import TrailTestSupport

@testable import TrailAnalysis

@Suite("IDCountTable: counts by id, as a dictionary would keep them")
struct IDCountTableTests {
    /// The table's contents as a dictionary.
    private static func contents(_ table: borrowing IDCountTable) -> [UInt64: Int] {
        var result: [UInt64: Int] = [:]
        table.forEach { id, count in
            #expect(result[id] == nil, "id \(id) listed twice")
            result[id] = count
        }
        return result
    }

    @Test(
        "random inserts, increments and removals agree with a dictionary",
        arguments: [(UInt64(1), 40), (2, 300), (3, 2_000)])
    func agreesWithDictionary(seed: UInt64, operations: Int) {
        var generator = SeededGenerator(seed: seed)
        var table = IDCountTable()
        var expected: [UInt64: Int] = [:]
        // Few distinct ids, so that removals, re-insertions and long probe runs are common; some literal IPv4 ids.
        let ids: [UInt64] = (0..<64).map { $0 % 3 == 0 ? (1 << 32) | UInt64($0 * 65_537) : UInt64($0) }
        for _ in 0..<operations {
            let id = ids.randomElement(using: &generator)!
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                let amount = Int.random(in: 1...1_000, using: &generator)
                let present = table.increment(id, by: amount)
                #expect(present == (expected[id] != nil))
                if present {
                    expected[id]! += amount
                } else {
                    table.insert(id, count: amount)
                    expected[id] = amount
                }
            case 1:
                let removed = table.remove(id)
                #expect(removed == expected.removeValue(forKey: id))
            default:
                if expected[id] == nil {
                    table.insert(id, count: 7)
                    expected[id] = 7
                }
            }
            let count = table.count
            #expect(count == expected.count)
        }
        let contents = Self.contents(table)
        #expect(contents == expected)
        for id in ids {
            let present = table.increment(id, by: 0)
            #expect(present == (expected[id] != nil))
        }
    }

    @Test("removing from the middle of a run of colliding ids keeps the rest reachable")
    func removalInsideProbeRuns() {
        // Find ids that share a home slot in the first table (8 slots): insert enough of them to wrap around.
        var table = IDCountTable()
        var colliding: [UInt64] = []
        var candidate: UInt64 = 0
        while colliding.count < 3 {
            if Int(truncatingIfNeeded: (candidate &* 0x9E37_79B9_7F4A_7C15) >> 61) == 7 { colliding.append(candidate) }
            candidate += 1
        }
        for (index, id) in colliding.enumerated() { table.insert(id, count: index + 1) }
        let removed = table.remove(colliding[0])
        #expect(removed == 1)
        let second = table.increment(colliding[1], by: 10)
        let third = table.increment(colliding[2], by: 10)
        #expect(second && third)
        let contents = Self.contents(table)
        #expect(contents == [colliding[1]: 12, colliding[2]: 13])
        let again = table.remove(colliding[0])
        #expect(again == nil)
    }

    @Test("an empty table holds nothing; its header's sampling state survives growth and removals")
    func headerAndEmptyTable() {
        var table = IDCountTable()
        let absent = table.increment(3, by: 1)
        let removed = table.remove(3)
        #expect(!absent && removed == nil && table.count == 0 && table.first(where: { _ in true }) == nil)
        #expect(table.sampling.otherCount == 0 && table.sampling.threshold == .max && table.sampling.largest == nil)
        table.sampling.otherCount = 5
        table.sampling.threshold = 99
        table.sampling.largest = (id: 7, hash: 98)
        #expect(table.count == 0)
        // 200 ids take the table from 8 slots through five doublings.
        for id in UInt64(0)..<200 { table.insert(id, count: Int(id) + 1) }
        for id in UInt64(0)..<100 { _ = table.remove(id) }
        #expect(table.count == 100)
        #expect(table.sampling.otherCount == 5 && table.sampling.threshold == 99)
        #expect(table.sampling.largest?.id == 7 && table.sampling.largest?.hash == 98)
        let contents = Self.contents(table)
        #expect(contents == Dictionary(uniqueKeysWithValues: (UInt64(100)..<200).map { ($0, Int($0) + 1) }))
    }

    @Test("first(where:) finds an entry that qualifies, and only such an entry")
    func firstWhere() {
        var table = IDCountTable()
        table.insert(10, count: 1 << 40)
        let none = table.first(where: { $0 <= Int(UInt32.max) })
        #expect(none == nil)
        table.insert(11, count: 5)
        let small = table.first(where: { $0 <= Int(UInt32.max) })
        #expect(small?.id == 11 && small?.count == 5)
    }
}
