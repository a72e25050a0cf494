import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Whole-file libdeflate and streaming zlib give the same result")
struct DecoderEquivalenceTests {
    static func both(
        _ bytes: [UInt8]
    ) -> (whole: ([CloudTrailEvent], ScanSummary), streamed: ([CloudTrailEvent], ScanSummary)) {
        let reader = LogFileReader()
        var whole: [CloudTrailEvent] = []
        let wholeSummary = reader.read(bytes: bytes, whole: true) { whole.append(CloudTrailEvent($0)) }
        var streamed: [CloudTrailEvent] = []
        let streamedSummary = reader.read(bytes: bytes, chunkSize: 4_096) { streamed.append(CloudTrailEvent($0)) }
        return ((whole, wholeSummary), (streamed, streamedSummary))
    }

    @Test("every real record file")
    func realData() {
        let files = LogSource(paths: [Fixtures.realData]).discover().files.filter { $0.displayPath.hasSuffix(".gz") }
        #expect(files.count > 60)
        for file in files {
            let result = Self.both(Fixtures.read(file.displayPath))
            #expect(result.whole.0 == result.streamed.0, "\(file.displayPath)")
            #expect(result.whole.1 == result.streamed.1, "\(file.displayPath)")
        }
    }

    @Test("multi-member gzip, a large member, and members after zero padding")
    func multiMember() {
        let big = RecordBuilder.document((0..<3_000).map { i in RecordBuilder { $0.eventName = "Call\(i)" } })
        let small = RecordBuilder.document([RecordBuilder { $0.eventName = "Last" }])
        let bytes = Gzip.compress(big) + [0, 0] + Gzip.compress(small)
        let result = Self.both(bytes)
        #expect(result.whole.0.count == 3_001)
        #expect(result.whole.0 == result.streamed.0)
        #expect(result.whole.1 == result.streamed.1)
    }

    @Test("corrupt, truncated and trailing-garbage files fall back to the streaming path and its precise error")
    func damaged() {
        let good = Gzip.compress(RecordBuilder.document((0..<200).map { _ in RecordBuilder() }), level: 1)
        var corrupt = good
        for i in 60..<80 { corrupt[i] ^= 0xA5 }
        let cases = [Array(good.prefix(good.count / 2)), corrupt, good + Array("junk".utf8)]
        for bytes in cases {
            let result = Self.both(bytes)
            #expect(result.whole.1.error != nil)
            #expect(result.whole.1 == result.streamed.1)
            #expect(result.whole.0 == result.streamed.0)
        }
    }
}
