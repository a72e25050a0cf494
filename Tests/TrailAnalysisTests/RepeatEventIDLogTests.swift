import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("RepeatEventIDLog: each group's earliest event IDs from a log cut as it grows")
struct RepeatEventIDLogTests {
    private typealias Timed = EventFindingGroup.TimedEventID

    private struct Event {
        var group: Int
        var time: Int64
        var id: String
    }

    /// What the log must give: per group, all its events sorted by (time, id bytes), the first `limit`.
    private func expected(_ events: [Event], groups: Int, limit: Int) -> [[Timed]] {
        (0..<groups).map { group in
            Array(events.filter { $0.group == group }.map { Timed(time: $0.time, id: $0.id) }.sorted().prefix(limit))
        }
    }

    private func logged(_ events: [Event], groups: Int, limit: Int, capacity: Int) -> [[Timed]] {
        var log = RepeatEventIDLog(limit: limit, minimumCapacity: capacity)
        for event in events {
            var id = event.id
            id.withUTF8 { log.add(group: event.group, time: event.time, eventID: $0) }
        }
        return log.take(groupCount: groups)
    }

    @Test(
        "out-of-order events, ties on time, IDs of every form, cuts mid-stream: the same as sorting them all",
        arguments: 0..<30)
    func earliestPerGroup(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let groups = Int.random(in: 1...6, using: &generator)
        let limit = Int.random(in: 1...12, using: &generator)
        let events = (0..<Int.random(in: 0...400, using: &generator)).map { _ in
            let hex = (0..<32).map { _ in "0123456789abcdef".randomElement(using: &generator)! }
            let uuid =
                String(hex.prefix(8)) + "-" + hex[8..<12] + "-" + hex[12..<16] + "-" + hex[16..<20] + "-"
                + hex[20...]
            // Lowercase UUIDs (packed), their uppercase and undashed forms, short, long and non-ASCII IDs (text).
            let forms = [
                uuid, uuid.uppercased(), String(hex), "evt-\(Int.random(in: 0...20, using: &generator))",
                String(repeating: "x", count: Int.random(in: 37...90, using: &generator)), "é-\(hex.count)",
            ]
            return Event(
                group: Int.random(in: 0..<groups, using: &generator),
                time: Int64.random(in: 0...8, using: &generator),
                id: forms.randomElement(using: &generator)!)
        }
        let capacity = Int.random(in: 1...64, using: &generator)
        #expect(
            logged(events, groups: groups, limit: limit, capacity: capacity)
                == expected(events, groups: groups, limit: limit))
    }

    @Test("a group's events in time order stop entering once it holds its limit, and the log stays bounded")
    func boundedInOrder() {
        var events: [Event] = []
        for time in 0..<5_000 { events.append(Event(group: time % 3, time: Int64(time), id: "evt-\(time)")) }
        let result = logged(events, groups: 3, limit: 50, capacity: 16)
        #expect(result.map(\.count) == [50, 50, 50])
        #expect(result[1].first == Timed(time: 1, id: "evt-1"))
        #expect(result[1].last == Timed(time: 148, id: "evt-148"))
    }
}
