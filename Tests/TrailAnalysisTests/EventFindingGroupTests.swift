import Foundation
import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("EventFindingGroup: the earliest event ids of merged groups")
struct EventFindingGroupTests {
    private typealias Timed = EventFindingGroup.TimedEventID

    @Test("merging two sorted lists keeps the earliest, as sorting the two together would", arguments: 0..<40)
    func earliestOfTwo(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        func list() -> [Timed] {
            // Few distinct times, so that ties are settled by the id.
            let count = Int.random(in: 0...70, using: &generator)
            return (0..<count).map { _ in
                Timed(
                    time: Int64.random(in: 0...5, using: &generator),
                    id: "id-\(Int.random(in: 0...99, using: &generator))")
            }.sorted().prefix(Finding.eventIDLimit).map { $0 }
        }
        let (a, b) = (list(), list())
        let expected = Array((a + b).sorted().prefix(Finding.eventIDLimit))
        var (ab, ba) = (a, b)
        ab.keepEarliest(b, limit: Finding.eventIDLimit)
        ba.keepEarliest(a, limit: Finding.eventIDLimit)
        #expect(ab == expected)
        #expect(ba == expected)
        // A shorter limit, as a window's minute keeps.
        var short = a
        short.keepEarliest(b, limit: 10)
        #expect(short == Array((a + b).sorted().prefix(10)))
    }

    /// A group of one event, as a rule's match starts one.
    private func single(_ entry: Timed, name: String) -> EventFindingGroup {
        EventFindingGroup(
            rule: "test-rule", actor: "arn:aws:iam::111122223333:user/alice", subject: "", hour: 0, accessKeyId: nil,
            principal: Principal(type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice"), accountId: nil,
            firstSeen: entry.time, lastSeen: entry.time, firstEventID: entry.eventID, count: 1,
            title: "match at \(entry.time)", severity: .medium, evidence: [], events: [entry], eventNames: [name: 1])
    }

    @Test("merging one event at a time keeps the earliest IDs, the counts and the first event", arguments: 0..<12)
    func oneAtATime(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        // Few distinct times and ids, so ties and duplicates turn up; more events than the list keeps.
        let entries = (0..<Int.random(in: 1...140, using: &generator)).map { _ in
            Timed(
                time: Int64.random(in: 0...9, using: &generator),
                id: Bool.random(using: &generator)
                    ? "id-\(Int.random(in: 0...30, using: &generator))"
                    : String(format: "%08x-0000-4000-8000-%012x", Int.random(in: 0...30, using: &generator), seed))
        }
        let names = entries.map { _ in ["GetObject", "ListBuckets", "PutObject"].randomElement(using: &generator)! }
        var group = single(entries[0], name: names[0])
        for index in entries.indices.dropFirst() { group.merge(single(entries[index], name: names[index])) }
        #expect(group.events == Array(entries.sorted().prefix(Finding.eventIDLimit)))
        #expect(group.count == entries.count)
        #expect(group.eventNames == Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +))
        let first = entries.min()!
        #expect(group.firstSeen == first.time && group.firstEventID == first.eventID)
        #expect(group.title == "match at \(first.time)")
        #expect(group.lastSeen == entries.map(\.time).max())
    }

    @Test("adding one event at a time gives the group that merging one-event groups gives", arguments: 0..<8)
    func addEqualsMerge(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        // Out of time order, from several keys and accounts, so that a later-added earlier event takes over the
        // group's first event, title, evidence and identity; severities differ, names repeat.
        let records = (0..<Int.random(in: 2...90, using: &generator)).map { index in
            RecordBuilder {
                $0.eventTime = String(format: "2026-11-02T10:%02d:00Z", Int.random(in: 0...9, using: &generator))
                let id = Int.random(in: 0...40, using: &generator)
                $0.eventID = String(format: "%08x-0000-4000-8000-%012x", id, index)
                $0.accessKeyId = "AKIAEXAMPLE00000000\(Int.random(in: 0...3, using: &generator))"
                $0.recipientAccountId = "11112222333\(Int.random(in: 0...2, using: &generator))"
                $0.eventName = ["GetObject", "ListBuckets", "PutObject"].randomElement(using: &generator)!
            }
        }
        let severities = records.map { _ in [Severity.low, .medium, .high].randomElement(using: &generator)! }
        var added: EventFindingGroup?
        var merged: EventFindingGroup?
        var position = 0
        _ = LogFileReader().read(bytes: Array(RecordBuilder.document(records).utf8), format: .document) { view in
            let match = EventMatch(
                subject: "", title: "match \(position)", evidence: [.init("position", .integer(Int64(position)))])
            let (eventID, name) = (view.string(.eventID) ?? "", view.string(.eventName) ?? "")
            let single = EventFindingGroup.start(
                rule: "test-rule", actor: "alice", subject: "", time: view.eventTime, eventID: eventID, name: name,
                severity: severities[position], match: match, event: view)
            if added == nil {
                added = single
                merged = single
            } else {
                added!.add(
                    time: view.eventTime, eventID: eventID, name: name, severity: severities[position], match: match,
                    event: view)
                merged!.merge(single)
            }
            position += 1
        }
        #expect(position == records.count)
        #expect(added == merged)
    }
}
