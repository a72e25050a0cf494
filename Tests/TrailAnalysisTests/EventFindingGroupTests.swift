import Testing
import TrailModel

@testable import TrailAnalysis

@Suite("EventFindingGroup: the earliest event ids of merged groups")
struct EventFindingGroupTests {
    private typealias Timed = EventFindingGroup.TimedEventID

    @Test("merging two sorted lists keeps the earliest, as sorting the two together would", arguments: 0..<40)
    func earliestOfTwo(seed: Int) {
        var generator = SystemRandomNumberGenerator()
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
        #expect(EventFindingGroup.earliest(a, b) == expected)
        #expect(EventFindingGroup.earliest(b, a) == expected)
    }
}
