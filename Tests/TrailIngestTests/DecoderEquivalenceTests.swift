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

    @Test("a member with a header CRC, right or wrong, is read as zlib reads it (zlib checks it, libdeflate skips it)")
    func headerCRC() throws {
        let document = RecordBuilder.document((0..<20).map { _ in RecordBuilder() })
        let plain = Gzip.compress(document)
        // The same member with FHCRC set: the 10-byte header, its CRC-32's low 16 bits, then the deflate stream and
        // trailer. A wrong CRC is a damaged header that both paths must report the same way.
        var header = Array(plain.prefix(10))
        header[3] |= 0x02
        let crc = Gzip.crc32(header)
        let right = header + [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF)] + plain.dropFirst(10)
        var wrong = right
        wrong[10] ^= 0xFF
        for (bytes, valid) in [(right, true), (wrong, false), (plain + wrong, false)] {
            let result = Self.both(bytes)
            #expect((result.streamed.1.error == nil) == valid)
            #expect(result.whole.0 == result.streamed.0)
            #expect(result.whole.1 == result.streamed.1)
        }
        #expect(Self.both(right).whole.0.count == 20)
    }
}
