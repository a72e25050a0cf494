import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("LocalNetworks: a long-term key's networks per day, the first four in the key's record")
struct LocalNetworksTests {
    /// Direct-use events as (day, network): days mostly in runs, as a file's records come, with returns to earlier
    /// days; `networks` distinct networks to draw from, so that days hold fewer than four, more, or more than the 64
    /// a set keeps.
    static func events(_ count: Int, networks: Int, using generator: inout SeededGenerator) -> [(Int32, UInt64)] {
        var day = Int32(20_000)
        return (0..<count).map { _ in
            if Int.random(in: 0..<10, using: &generator) == 0 {
                day = 20_000 + Int32.random(in: 0..<6, using: &generator)
            }
            return (day, 0xC633_6400 &+ UInt64.random(in: 0..<UInt64(networks), using: &generator) << 8)
        }
    }

    /// What inserting every network into a `NetworkSet` per day gives: the record's result before networks were kept
    /// in it.
    static func reference(_ events: [(Int32, UInt64)]) -> [Int32: NetworkSet] {
        var days: [Int32: NetworkSet] = [:]
        for (day, prefix) in events { days[day, default: NetworkSet()].insert(prefix) }
        return days
    }

    @Test("the days' networks equal NetworkSet's, before and after absorbing another record", arguments: [2, 5, 9, 90])
    func equalsNetworkSet(networks: Int) {
        var generator = SeededGenerator(seed: 0x6E65_7473 &+ UInt64(networks))
        for round in 0..<40 {
            let all = Self.events(Int.random(in: 1...400, using: &generator), networks: networks, using: &generator)
            var record = LocalKeyActivity(isLongTerm: true)
            var other = LocalKeyActivity(isLongTerm: true)
            var mine: [(Int32, UInt64)] = []
            var theirs: [(Int32, UInt64)] = []
            for event in all {
                if Bool.random(using: &generator) {
                    record.addNetwork(event.1, day: event.0)
                    mine.append(event)
                } else {
                    other.addNetwork(event.1, day: event.0)
                    theirs.append(event)
                }
            }
            #expect(record.dailyNetworks() == Self.reference(mine), "round \(round)")
            #expect(other.dailyNetworks() == Self.reference(theirs), "round \(round)")

            // Absorbing unions each day's sets, the other's networks in its set's order.
            record.absorbTimeline(other)
            var expected = Self.reference(mine)
            for (day, set) in Self.reference(theirs) { expected[day, default: NetworkSet()].formUnion(set) }
            #expect(record.dailyNetworks() == expected, "round \(round)")

            // Counting goes on after it as before.
            for (day, prefix) in Self.events(50, networks: networks, using: &generator) {
                record.addNetwork(prefix, day: day)
                expected[day, default: NetworkSet()].insert(prefix)
            }
            #expect(record.dailyNetworks() == expected, "round \(round)")
        }
    }

    @Test("an overflowed set absorbed on the current day marks the day overflowed")
    func absorbOverflowed() {
        var record = LocalKeyActivity(isLongTerm: true)
        record.addNetwork(0xC633_6400, day: 20_000)
        var other = LocalKeyActivity(isLongTerm: true)
        for index in 0..<(NetworkSet.capacity + 3) { other.addNetwork(0x0A00_0000 &+ UInt64(index) << 8, day: 20_000) }
        record.absorbTimeline(other)
        let day = record.dailyNetworks()[20_000]
        #expect(day?.overflowed == true)
        #expect(day?.count == NetworkSet.capacity)
    }
}
