import Testing

@testable import TrailStore

@Suite("ByteWriter: what it writes, ByteReader reads back")
struct ByteWriterTests {
    /// Blocks whose length prefix takes one, two (the room a block is written after), three and four bytes, each
    /// written in pieces into a writer that starts small, so the writer grows while the block is open.
    @Test(
        "a length-prefixed block of any size reads back whole, with what was written before and after it",
        arguments: [0, 1, 127, 128, 16_383, 16_384, 70_000, 2_097_152])
    func blocks(length: Int) throws {
        let content = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var writer = ByteWriter(capacity: 16)
        writer.count(300)
        writer.block { block in
            for start in stride(from: 0, to: length, by: 997) {
                block.raw(Array(content[start..<min(start + 997, length)]))
            }
        }
        writer.string("after")
        var reader = ByteReader(writer.bytes)
        #expect(try reader.count() == 300)
        let size = try reader.count(limit: 1 << 30)
        #expect(size == length)
        var block = try reader.block(size)
        #expect(try (0..<size).map { _ in try block.byte() } == content)
        #expect(block.isAtEnd)
        #expect(try reader.string() == "after")
        #expect(reader.isAtEnd)
    }

    @Test("varints, zig-zag integers, fixed words, strings and optionals read back as written")
    func values() throws {
        let unsigned: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, 1 << 35, .max]
        let signed: [Int64] = [0, -1, 1, -64, 64, .min, .max]
        var writer = ByteWriter(capacity: 1)
        for value in unsigned { writer.unsigned(value) }
        for value in signed { writer.signed(value) }
        writer.fixed64(0x0123_4567_89AB_CDEF)
        writer.string("")
        writer.string("AKIAIOSFODNN7EXAMPLE — ünïcode")
        writer.optionalString(nil)
        writer.optionalString("arn:aws:iam::123456789012:user/alice")
        writer.optionalSigned(nil)
        writer.optionalSigned(-42)
        writer.bool(true)
        var reader = ByteReader(writer.bytes)
        for value in unsigned { #expect(try reader.unsigned() == value) }
        for value in signed { #expect(try reader.signed() == value) }
        #expect(try reader.fixed64() == 0x0123_4567_89AB_CDEF)
        #expect(try reader.string() == "")
        #expect(try reader.string() == "AKIAIOSFODNN7EXAMPLE — ünïcode")
        #expect(try reader.optionalString() == nil)
        #expect(try reader.optionalString() == "arn:aws:iam::123456789012:user/alice")
        #expect(try reader.optionalSigned() == nil)
        #expect(try reader.optionalSigned() == -42)
        #expect(try reader.bool())
        #expect(reader.isAtEnd)
    }
}
