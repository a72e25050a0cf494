import Testing
import TrailModel

@Suite("Timestamp: hand-written ISO 8601")
struct TimestampTests {
    @Test(
        "CloudTrail's forms parse to the right epoch seconds",
        arguments: [
            ("1970-01-01T00:00:00Z", 0), ("2026-11-28T23:59:59Z", 1_795_910_399),
            ("2026-11-28T23:59:59.999Z", 1_795_910_399),
            ("2026-11-29T01:59:59+02:00", 1_795_910_399), ("2026-11-28T18:59:59-05:00", 1_795_910_399),
            ("2024-02-29T12:00:00Z", 1_709_208_000), ("1969-12-31T23:59:59Z", -1),
            // No zone designator: read as UTC, as --since documents.
            ("2026-11-28T23:59:59", 1_795_910_399),
        ] as [(String, Int64)])
    func parses(text: String, expected: Int64) {
        #expect(Timestamp.parse(text, allowDateOnly: false) == expected)
    }

    @Test(
        "malformed or impossible times are rejected",
        arguments: [
            "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-28T24:00:00Z",
            "2026-11-28T23:60:00Z", "2026-11-28 23:59", "2026/11/28T00:00:00Z", "",
            "2026-11-28T00:00:00ZZ", "2026-11-28T00:00:00.Z", "yesterday", "2026-11-28T00:00:00+2:00",
        ])
    func rejects(text: String) {
        #expect(Timestamp.parse(text, allowDateOnly: false) == nil)
    }

    @Test("a bare date parses only when allowed")
    func dates() {
        #expect(Timestamp.parse("2026-11-28", allowDateOnly: true) == 1_795_824_000)
        #expect(Timestamp.parse("2026-11-28", allowDateOnly: false) == nil)
    }

    @Test("format and parse round-trip over four centuries")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Int64.random(in: -2_000_000_000...10_000_000_000, using: &generator)
            let text = Timestamp.format(seconds)
            #expect(Timestamp.parse(text) == seconds, "\(seconds) → \(text)")
        }
        #expect(Timestamp.format(1_795_910_399) == "2026-11-28T23:59:59Z")
        #expect(Timestamp.formatDate(1_795_910_399) == "2026-11-28")
    }

    @Test("floor division rounds toward negative infinity")
    func floorDivision() {
        #expect(Timestamp.floorDiv(-1, 86_400) == -1)
        #expect(Timestamp.floorDiv(0, 86_400) == 0)
        #expect(Timestamp.floorDiv(86_399, 86_400) == 0)
        #expect(Timestamp.floorDiv(-86_400, 86_400) == -1)
        #expect(Timestamp.floorDiv(-86_401, 86_400) == -2)
    }
}
