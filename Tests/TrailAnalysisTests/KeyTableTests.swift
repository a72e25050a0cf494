import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("KeyTable: key records in place, moved whole when the table outgrows its mapping")
struct KeyTableTests {
    @Test(
        "records survive moves to larger mappings or allocations, their spilled values included",
        arguments: [1, 2, 7], [true, false])
    func movesKeepRecords(firstCapacity: Int, mapped: Bool) {
        let interner = ByteInterner(seed: 11)
        let space = ValueSpace(interner: interner, literalIPv4: false)
        var table = KeyTable(capacity: firstCapacity, mapped: mapped)
        defer { table.release() }
        let keys = 300
        for index in 0..<keys {
            var key = LocalKeyActivity(isLongTerm: index % 2 == 0)
            key.events = index
            key.firstSeen = Int64(index) * 60
            // Past the four inline slots, so the record points at a spill object that must move with it.
            for value in 0..<(index % 9) { Self.add("name-\(index)-\(value)", to: &key.eventNames, space: space) }
            table.append(key)
        }
        #expect(table.count == keys)
        for index in 0..<keys {
            let key = table.pointer(index)
            #expect(key.pointee.events == index)
            #expect(key.pointee.firstSeen == Int64(index) * 60)
            #expect(key.pointee.isLongTerm == (index % 2 == 0))
            var names: Set<String> = []
            key.pointee.eventNames.forEach { id, count in
                #expect(count == 1)
                names.insert(interner.string(UInt32(id)))
            }
            #expect(names == Set((0..<(index % 9)).map { "name-\(index)-\($0)" }))
        }
    }

    private static func add(_ value: String, to counts: inout LocalValueCounts, space: ValueSpace) {
        var padded = value + String(repeating: "\0", count: 16)
        padded.withUTF8 { buffer in
            counts.add(UnsafeBufferPointer(rebasing: buffer[..<value.utf8.count]), cap: nil, space: space)
        }
    }
}
