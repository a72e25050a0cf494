import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Bad input: a specific error, the records before it kept")
struct BadInputTests {
    static let good = RecordBuilder.document((0..<50).map { i in RecordBuilder { $0.eventName = "Call\(i)" } })

    @Test("truncated gzip names the end of the file and keeps the records before it")
    func truncatedGzip() {
        let gzip = Gzip.compress(Self.good, level: 1)
        let cut = Array(gzip[..<(gzip.count * 2 / 3)])
        let (events, summary) = scanEvents(cut, chunkSize: 512)
        #expect(summary.error?.kind == .truncatedGzip)
        #expect(summary.error?.message.contains("truncated gzip stream") == true)
        #expect(events.count > 0 && events.count < 50)
    }

    @Test("corrupt deflate data is a corrupt-gzip error with the file offset")
    func corruptGzip() {
        var gzip = Gzip.compress(Self.good)
        for i in 40..<60 { gzip[i] ^= 0x5A }
        let (_, summary) = scanEvents(gzip)
        #expect(summary.error?.kind == .corruptGzip)
        #expect(summary.error?.fileOffset != nil)
    }

    @Test("random bytes and plain text are not JSON")
    func notJSON() {
        var generator = SeededGenerator(seed: 42)
        let random = (0..<4_096).map { _ in UInt8(truncatingIfNeeded: generator.next() | 0x80) }
        #expect(scanEvents(random).summary.error?.kind == .notJSON)
        let text = scanEvents("hello, this is a text file\n").summary.error
        #expect(text?.kind == .notJSON)
        #expect(text?.message.contains("'h'") == true)
    }

    @Test(
        "JSON whose top level is not {\"Records\":[...]}",
        arguments: [
            #"{"foo": 1}"#, #"[{"eventTime":"2026-01-01T00:00:00Z","eventName":"A"}]"#, #"{"Records": {"a": 1}}"#,
            #"{}"#,
        ])
    func notCloudTrail(text: String) {
        let (events, summary) = scanEvents(text)
        #expect(events.isEmpty)
        #expect(summary.error?.kind == .notCloudTrail)
    }

    @Test("top-level scalars are not JSON documents keytrail can read", arguments: [#""just a string""#, "42"])
    func topLevelScalar(text: String) {
        #expect(scanEvents(text).summary.error?.kind == .notJSON)
    }

    @Test("a record cut mid-way: the data ends inside it")
    func cutRecord() {
        let cut = String(Self.good.prefix(Self.good.count - 300))
        let (events, summary) = scanEvents(cut)
        #expect(summary.error?.kind == .truncatedJSON)
        #expect(summary.error?.message.contains("inside record 50") == true)
        #expect(events.count == 49)
    }

    @Test("the Records array not closed")
    func unclosedArray() {
        let cut = String(Self.good.dropLast(2))
        let (events, summary) = scanEvents(cut)
        #expect(events.count == 50)
        #expect(summary.error?.kind == .truncatedJSON)
    }

    @Test("an empty file and a gzip of nothing are errors; an empty JSON-lines file is not")
    func emptyInputs() {
        #expect(scanEvents([UInt8]()).summary.error?.kind == .emptyInput)
        #expect(scanEvents("  \n ").summary.error?.kind == .emptyInput)
        #expect(scanEvents(Gzip.compress([UInt8]())).summary.error?.kind == .emptyInput)
        #expect(scanEvents([UInt8](), format: .lines).summary.error == nil)
    }

    @Test("\"Records\": [] is a valid file with no records")
    func emptyRecords() {
        let (events, summary) = scanEvents(#"{"Records":[]}"#)
        #expect(events.isEmpty)
        #expect(summary.records == 0)
        #expect(summary.error == nil)
    }

    @Test(
        "NUL bytes and invalid UTF-8 inside strings make that record invalid, the file goes on",
        arguments: [
            [0x00], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF], [0x0A],
        ] as [[UInt8]])
    func badStringBytes(bad: [UInt8]) {
        let before = Array(#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eventName":"A","userAgent":"x"#.utf8)
        let after = Array(#"y"},{"eventTime":"2026-01-01T00:00:00Z","eventName":"B"}]}"#.utf8)
        let (events, summary) = scanEvents(before + bad + after)
        #expect(summary.error == nil)
        #expect(summary.records == 2)
        #expect(summary.invalidRecords == 1)
        #expect(events.map { $0[.eventName] } == ["B"])
        let problem = bad[0] < 0x20 ? RecordProblem.controlCharacter : .invalidUTF8
        #expect(summary.problems[problem]?.firstRecord == 1)
    }

    @Test("valid UTF-8 of every length passes")
    func validUTF8() {
        let (events, summary) = scanEvents(
            #"{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eventName":"A","userName":"é€😀ü"}]}"#)
        #expect(summary.invalidRecords == 0)
        #expect(events.count == 1)
    }

    @Test("a record over the record cap stops the file with the record's index")
    func recordOverCap() {
        let big = RecordBuilder { $0.requestParameters = #"{"p":""# + String(repeating: "x", count: 10_000) + #""}"# }
        let text = RecordBuilder.document([RecordBuilder(), big, RecordBuilder()])
        let limits = ScanLimits(maxRecordBytes: 4_096)
        for chunk in [512, 1 << 20] {
            let (events, summary) = scanEvents(text, chunkSize: chunk, limits: limits)
            #expect(events.count == 1)
            #expect(summary.error?.kind == .recordTooLarge)
            #expect(summary.error?.message.contains("record 2") == true)
        }
    }

    @Test("decompressed size over the cap (a gzip bomb) stops the file")
    func decompressedCap() {
        let bomb = Gzip.compress([UInt8](repeating: 0x20, count: 5 << 20), level: 9)
        let (_, summary) = scanEvents(bomb, limits: ScanLimits(maxDecompressedBytes: 1 << 20))
        #expect(summary.error?.kind == .decompressedTooLarge)
    }

    @Test("records missing eventTime or eventName are counted per reason and skipped")
    func missingFields() {
        let text =
            #"{"Records":[{"eventName":"A"},{"eventTime":"2026-01-01T00:00:00Z"},"#
            + #"{"eventTime":"yesterday","eventName":"C"},{"eventTime":"2026-01-01T00:00:00Z","eventName":"D"},7]}"#
        let (events, summary) = scanEvents(text)
        #expect(events.map { $0[.eventName] } == ["D"])
        #expect(summary.records == 5)
        #expect(summary.invalidRecords == 4)
        #expect(summary.problems[.missingEventTime]?.count == 1)
        #expect(summary.problems[.missingEventName]?.count == 1)
        #expect(summary.problems[.unparsableEventTime]?.firstRecord == 3)
        #expect(summary.problems[.notAnObject]?.firstRecord == 5)
        #expect(summary.problemMessages.count == 4)
    }

    @Test("mismatched brackets and garbage inside a record are malformed JSON with an offset")
    func malformed() {
        let text = #"{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eventName":"A","x":{"a":[1}}]}"#
        let (_, summary) = scanEvents(text)
        #expect(summary.error?.kind == .malformedJSON)
        // The offending "}" closes "[1": it is the fourth byte from the end.
        #expect(summary.error?.offset == Int64(text.utf8.count - 4))
    }

    @Test("multi-member gzip reads every member; zero padding is fine; other trailing bytes are an error")
    func multiMember() {
        let a = RecordBuilder.document([RecordBuilder { $0.eventName = "A" }])
        let b = RecordBuilder.document([RecordBuilder { $0.eventName = "B" }])
        let joined = Gzip.compress(a) + Gzip.compress(b) + [0, 0, 0, 0]
        let (events, summary) = scanEvents(joined, chunkSize: 7)
        #expect(summary.error == nil)
        #expect(events.map { $0[.eventName] } == ["A", "B"])
        let garbage = scanEvents(Gzip.compress(a) + Array("trailing".utf8)).summary
        #expect(garbage.error?.kind == .trailingGarbage)
    }
}
