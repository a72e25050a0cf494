import Testing
import TrailModel
import TrailTestSupport

@testable import TrailEngine

@Suite("ScanTextRenderer: the key table a person reads")
struct ScanTextRendererTests {
    /// Keys of the three kinds, with last-seen times that often tie (so the ID decides), and a few event names.
    static func keys(_ count: Int, using generator: inout SeededGenerator) -> [KeyActivity] {
        var ids = Set<String>()
        while ids.count < count {
            let prefix = ["AKIA", "ASIA", "ASIA", "ABIA"].randomElement(using: &generator)!
            ids.insert(generator.accessKeyID(prefix: prefix))
        }
        return ids.sorted().map { id in
            var key = KeyActivity(
                accessKeyID: AccessKeyID(id), principal: Principal(type: "IAMUser", userName: "user-" + id.suffix(4)))
            key.lastSeen = 1_790_000_000 + Int64.random(in: 0..<6, using: &generator) * 86_400
            key.firstSeen = key.lastSeen - 3_600
            for name in ["GetObject", "ListBuckets", "PutObject"].shuffled(using: &generator).prefix(2) {
                let times = Int.random(in: 1...3, using: &generator)
                key.eventNames.add(name, count: times)
                key.events += times
            }
            return key
        }
    }

    /// The order a person reads, stated independently of the renderer: long-term, unknown, temporary; newest
    /// first; then by ID.
    static func expectedOrder(_ keys: [KeyActivity]) -> [String] {
        let rank: [AccessKeyKind: Int] = [.longTerm: 0, .unknown: 1, .temporary: 2]
        return keys.map { (rank[$0.kind]!, -$0.lastSeen, $0.accessKeyID.value) }
            .sorted { $0 < $1 }
            .map(\.2)
    }

    /// The key IDs of the table's rows, top to bottom.
    static func listedIDs(_ table: String) -> [String] {
        table.split(separator: "\n").compactMap { line in
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            return first.count == 20 && first.allSatisfy { $0.isUppercase || $0.isNumber } ? first : nil
        }
    }

    @Test("rows in reading order, temporary keys past the limit counted, not listed", arguments: [0, 1, 7, 100])
    func order(limit: Int) {
        var generator = SeededGenerator(seed: 0x7465_7874 &+ UInt64(limit))
        let keys = Self.keys(300, using: &generator).shuffled(using: &generator)
        let table = ScanTextRenderer.keyTable(keys, temporaryLimit: limit)

        let temporary = keys.filter { $0.kind == .temporary }.count
        let longTerm = keys.filter { $0.kind == .longTerm }.count
        let other = keys.count - temporary - longTerm
        #expect(temporary > limit && longTerm > 0 && other > 0, "the generated keys cover every case")
        #expect(
            table.hasPrefix(
                "Access keys: 300 (\(longTerm) long-term, \(temporary) temporary, \(other) of unknown kind)\n"))
        let expected = Self.expectedOrder(keys)
        #expect(Self.listedIDs(table) == Array(expected.prefix(keys.count - temporary + limit)))
        #expect(table.hasSuffix("  … and \(temporary - limit) more temporary keys (all keys are in --format json)\n"))
    }

    @Test("a row: principal, counts, dates, distinct IPs and the most frequent API (ties by name)")
    func row() {
        var key = KeyActivity(
            accessKeyID: AccessKeyID("AKIAIOSFODNN7EXAMPLE"),
            principal: Principal(type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice"))
        key.events = 1_234
        key.errors = 5
        key.firstSeen = 1_790_000_000
        key.lastSeen = 1_790_000_000 + 2 * 86_400
        key.eventNames.add("PutObject", count: 600)
        key.eventNames.add("GetObject", count: 600)
        key.eventNames.add("ListBuckets", count: 34)
        key.sourceIPs.add("192.0.2.1", count: 1_000)
        key.sourceIPs.add("192.0.2.2", count: 234)
        key.dailyEvents = DayCounts(days: [
            DayCounts.Day(day: 20_717, count: 1_000), DayCounts.Day(day: 20_719, count: 234),
        ])
        let table = ScanTextRenderer.keyTable([key])
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "Access keys: 1 (1 long-term, 0 temporary)")
        // Columns are separated by two or more spaces; no cell here contains two.
        let cells = lines.first { $0.hasPrefix("  AKIA") }?.split(separator: "  ").map {
            String($0.drop { $0 == " " })
        }.filter { !$0.isEmpty }
        #expect(
            cells == [
                "AKIAIOSFODNN7EXAMPLE", "long-term", "alice (IAMUser)", "1,234", "5", "2026-09-21", "2026-09-23", "2",
                "2", "GetObject (600)",
            ])
    }
}
