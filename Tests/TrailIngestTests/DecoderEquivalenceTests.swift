import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Whole files (ISA-L or libdeflate), streamed members and streaming zlib give the same result")
struct DecoderEquivalenceTests {
    /// One reading: the events and the summary.
    typealias Reading = ([CloudTrailEvent], ScanSummary)

    /// `bytes` read whole (ISA-L for one member, else libdeflate), streamed a member at a time (ISA-L, libdeflate,
    /// zlib where they decline), and streamed by zlib alone; the two streamed readings in 4 KiB reads. The streamed
    /// ones must match in every respect; the whole reading, where it was taken, too.
    static func both(_ bytes: [UInt8]) -> (whole: Reading, streamed: Reading) {
        let reader = LogFileReader()
        var whole: [CloudTrailEvent] = []
        let wholeSummary = reader.read(bytes: bytes, whole: true) { whole.append(CloudTrailEvent($0)) }
        var streamed: [CloudTrailEvent] = []
        let streamedSummary = reader.read(bytes: bytes, chunkSize: 4_096) { streamed.append(CloudTrailEvent($0)) }
        var zlib: [CloudTrailEvent] = []
        let zlibSummary = reader.read(bytes: bytes, chunkSize: 4_096, zlibOnly: true) {
            zlib.append(CloudTrailEvent($0))
        }
        #expect(streamed == zlib, "members against zlib: events")
        #expect(streamedSummary == zlibSummary, "members against zlib: summary")
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

    @Test("a file of one member is decoded by ISA-L; more members, padding or trailing bytes by libdeflate")
    func whichWholeDecoder() {
        let one = Gzip.compress(RecordBuilder.document((0..<50).map { _ in RecordBuilder() }))
        let other = Gzip.compress(RecordBuilder.document([RecordBuilder { $0.eventName = "Other" }]))
        let cases: [(bytes: [UInt8], oneMember: Int, byMembers: Int, events: Int)] = [
            (one, 1, 0, 50), (one + other, 0, 1, 51), (one + [0, 0, 0], 0, 1, 50), (one + Array("junk".utf8), 0, 0, 50),
            // The same member twice: the last trailer matches the first member's size, so only the input's end tells.
            (one + one, 0, 1, 100),
        ]
        for (bytes, oneMember, byMembers, events) in cases {
            let reader = LogFileReader()
            var count = 0
            _ = reader.read(bytes: bytes, whole: true) { _ in count += 1 }
            #expect(reader.wholeFileDecodes.oneMember == oneMember)
            #expect(reader.wholeFileDecodes.byMembers == byMembers)
            #expect(count == events)
            let result = Self.both(bytes)
            // Compared first: the expectation's diff of a hundred events would bury the message.
            let sameEvents = result.whole.0 == result.streamed.0
            #expect(sameEvents)
            #expect(result.whole.1 == result.streamed.1)
        }
    }

    @Test("a trailer with the wrong size or CRC: neither whole decoder takes the file, and the stream says why")
    func wrongTrailer() {
        let good = Gzip.compress(RecordBuilder.document((0..<30).map { _ in RecordBuilder() }))
        // The trailer is the CRC-32 (8 bytes from the end) then the size (the last 4 bytes).
        for position in [good.count - 8, good.count - 4, good.count - 1] {
            var bad = good
            bad[position] ^= 0x01
            let reader = LogFileReader()
            _ = reader.read(bytes: bad, whole: true) { _ in }
            #expect(reader.wholeFileDecodes == (0, 0) as (Int, Int), "byte \(position)")
            let result = Self.both(bad)
            #expect(result.whole.1.error != nil)
            #expect(result.whole.0 == result.streamed.0)
            #expect(result.whole.1 == result.streamed.1)
        }
    }

    @Test("broken JSON near the end of a member whose checksum is wrong: the same error and records at any read size")
    func brokenJSONBeforeBadChecksum() {
        // The JSON breaks in the last record, near the member's end; zlib finds the bad checksum only after handing
        // out the last bytes. Until the scanner parsed the bytes a refill got before a read failed, zlib alone (4 KiB
        // reads) reported the checksum and the whole-member path the JSON (found by the gzip fuzz target).
        // The last record carries incompressible bytes, so that it spans several 4 KiB reads of the member and the
        // scanner asks for twice what it holds of it: the read that brings the member's last bytes then cannot
        // satisfy it, and the next one fails.
        var generator = SeededGenerator(seed: 11)
        for blobSize in [8_000, 20_000, 50_000] {
            let blob = String(
                (0..<blobSize).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement(using: &generator)! })
            var text = Self.document(30, tag: "Call")
            text.removeLast(2)
            text += Array(#",{"eventName": "Last", "requestParameters": {"blob": "\#(blob)", "x": pending}}]}"#.utf8)
            var bytes = Gzip.compress(text)
            bytes[bytes.count - 8] ^= 0x01
            var summaries: [ScanSummary] = []
            for chunkSize in [512, 4_096, 65_536, Int.max] {
                for zlibOnly in [false, true] {
                    summaries.append(
                        LogFileReader().read(bytes: bytes, chunkSize: chunkSize, zlibOnly: zlibOnly) { _ in })
                }
            }
            #expect(summaries[0].error?.kind == .malformedJSON, "blob of \(blobSize)")
            #expect(summaries[0].records == 30, "blob of \(blobSize)")
            for summary in summaries.dropFirst() { #expect(summary == summaries[0], "blob of \(blobSize)") }
        }
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

    @Test("a member with a reserved header flag or another method is refused the same way on every path")
    func reservedFlagsAndMethod() {
        let plain = Gzip.compress(RecordBuilder.document((0..<20).map { _ in RecordBuilder() }))
        // ISA-L ignores the reserved flag bits, which zlib and libdeflate refuse (found by the gzip fuzz target).
        for (position, value) in [(3, UInt8(0x20)), (3, 0x40), (3, 0x80), (2, 7)] {
            var bytes = plain
            if position == 3 { bytes[3] |= value } else { bytes[2] = value }
            for input in [bytes, plain + bytes] {
                let result = Self.both(input)
                #expect(result.streamed.1.error?.kind == .corruptGzip, "byte \(position) = \(value)")
                #expect(result.whole.0 == result.streamed.0)
                #expect(result.whole.1 == result.streamed.1)
            }
        }
    }

    /// How `GzipStream` decoded `bytes`: members whole, members left to zlib, and the error that ended it.
    static func decoders(_ bytes: [UInt8]) -> (whole: Int, zlib: Int, error: IngestError?) {
        let stream = GzipStream(MemorySource(bytes, chunkSize: 4_096), readChunkBytes: 4_096)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        do throws(IngestError) {
            while try stream.read(into: buffer) > 0 {}
        } catch {
            return (stream.membersDecodedWhole, stream.membersLeftToZlib, error)
        }
        return (stream.membersDecodedWhole, stream.membersLeftToZlib, nil)
    }

    /// Records whose event IDs and agents vary, so that the member stored at level 0 is as large as its JSON.
    static func document(_ count: Int, tag: String) -> [UInt8] {
        var generator = SeededGenerator(seed: UInt64(count))
        let records = (0..<count).map { index in
            RecordBuilder {
                $0.eventName = "\(tag)\(index)"
                $0.userAgent = "agent/\(UInt64.random(in: 0...UInt64.max, using: &generator))"
            }
        }
        return Array(RecordBuilder.document(records).utf8)
    }

    @Test("members larger than the input first held are read further and decoded whole; a cut one goes to zlib")
    func largeMembers() {
        // Stored (level 0) members of about 3 MB, 6 MB (more than the 4 MiB first held) and a small one.
        let members = [(5_000, "A"), (10_000, "B"), (20, "C")].map { count, tag in
            Gzip.compress(Self.document(count, tag: tag), level: 0)
        }
        #expect(members[1].count > 4 << 20, "more than the input first held")
        let stream = members.joined().map { $0 }
        let result = Self.both(stream)
        #expect(result.streamed.0.count == 15_020)
        #expect(result.streamed.1.error == nil)
        #expect(result.whole.0 == result.streamed.0)
        #expect(Self.decoders(stream).whole == 3 && Self.decoders(stream).zlib == 0)
        // Cut inside the large member: libdeflate never decodes it; zlib reads to the cut and says where.
        let cut = Array(stream.prefix(members[0].count + members[1].count / 2))
        let truncated = Self.both(cut)
        #expect(truncated.streamed.1.error?.kind == .truncatedGzip)
        #expect(truncated.streamed.0.count > 5_000)
        let decoded = Self.decoders(cut)
        #expect(decoded.whole == 1 && decoded.zlib == 1 && decoded.error?.kind == .truncatedGzip)
    }

    @Test("a member that decodes to more than 32 MiB is inflated by zlib, with the same result")
    func memberLargerThanTheOutputLimit() {
        let big = Self.document(60_000, tag: "Big")
        #expect(big.count > 32 << 20)
        let bytes = Gzip.compress(big, level: 1) + Gzip.compress(Self.document(3, tag: "After"), level: 1)
        let result = Self.both(bytes)
        #expect(result.streamed.0.count == 60_003)
        #expect(result.streamed.1.error == nil)
        let decoded = Self.decoders(bytes)
        #expect(decoded.whole == 1 && decoded.zlib == 1 && decoded.error == nil)
    }

    /// Serves `bytes`, then fails every later read with `error`, as a stream does when a signal stops the wait for
    /// data that its writer has not sent.
    final class StalledSource: ByteSource {
        let bytes: [UInt8]
        let error: IngestError
        var position = 0

        init(_ bytes: [UInt8], then error: IngestError) {
            self.bytes = bytes
            self.error = error
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
            let n = min(buffer.count, 65_536, bytes.count - position)
            guard n > 0 else { throw error }
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
            position += n
            return n
        }
    }

    @Test("a read that fails while members are topped up: the members held are decoded, then the error, as zlib does")
    func readFailsWhileToppingUp() {
        // Ten members of ~100 KB, and a stall in the eleventh: less than the input held before decoding.
        let members = (0..<11).map { Gzip.compress(Self.document(300, tag: "M\($0)-"), level: 0) }
        let held = Array(members.joined()).prefix(members[0..<10].reduce(0) { $0 + $1.count } + 5_000)
        let stop = IngestError.interrupted(by: 2, fileOffset: Int64(held.count))
        var outputs: [(bytes: [UInt8], error: IngestError?)] = []
        for wholeMembers in [true, false] {
            let stream = GzipStream(StalledSource(Array(held), then: stop), wholeMembers: wholeMembers)
            var out: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
            defer { buffer.deallocate() }
            do throws(IngestError) {
                while true {
                    let n = try stream.read(into: buffer)
                    if n == 0 { break }
                    out += buffer[0..<n]
                }
                outputs.append((out, nil))
            } catch {
                outputs.append((out, error))
            }
            if wholeMembers { #expect(stream.membersDecodedWhole == 10) }
        }
        #expect(outputs[0].error == stop)
        #expect(outputs[1].error == stop)
        // Compared first: on a mismatch, the expectation's diff of a megabyte of bytes would take minutes.
        let sameBytes = outputs[0].bytes == outputs[1].bytes
        #expect(sameBytes)
        #expect(outputs[0].bytes.count > members[0..<10].reduce(0) { $0 + $1.count } - 10 * 100)
    }
}
