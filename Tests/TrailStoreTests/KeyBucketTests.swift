import CLibdeflate
import Testing
import TrailModel

@testable import TrailStore

@Suite("KeyBucket: a bucket of keys as stored, in the format written and the one before")
struct KeyBucketTests {
    /// A bucket as format 1 wrote it: version, raw length, raw DEFLATE of the records.
    static func deflateBucket(_ keys: [KeyActivity]) -> [UInt8] {
        let raw = KeyBucket.records(keys)
        var header = ByteWriter(capacity: 16)
        header.raw([KeyBucket.deflateVersion])
        header.count(raw.count)
        let compressor = libdeflate_alloc_compressor(1)!
        defer { libdeflate_free_compressor(compressor) }
        let bound = libdeflate_deflate_compress_bound(compressor, raw.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let written = raw.withUnsafeBytes { input in
            compressed.withUnsafeMutableBytes { output in
                libdeflate_deflate_compress(compressor, input.baseAddress, input.count, output.baseAddress, bound)
            }
        }
        return header.bytes + compressed[..<written]
    }

    static func decode(_ bytes: [UInt8]) throws(StoreError) -> [KeyActivity] {
        let decompressor = libdeflate_alloc_decompressor()!
        defer { libdeflate_free_decompressor(decompressor) }
        return try KeyBucket.decode(bytes, decompressor: decompressor)
    }

    @Test("a bucket written now (LZ4) and one written in format 1 (DEFLATE) both decode to the same keys")
    func bothFormats() async throws {
        let keys = await KeyActivityCodecTests.realKeys()
        #expect(keys.count > 50)
        let written = KeyBucket.encode(keys)
        #expect(written[0] == KeyBucket.formatVersion && KeyBucket.formatVersion == 2)
        // Compressed: the records repeat service names, regions and ARNs.
        #expect(written.count * 3 < KeyBucket.records(keys).count)
        #expect(try Self.decode(written) == keys)
        #expect(try Self.decode(Self.deflateBucket(keys)) == keys)
        #expect(try Self.decode(KeyBucket.encode([])) == [])
    }

    @Test("a cut or mislabelled bucket in either format is a 'corrupt' error; altered bytes never crash")
    func damaged() async throws {
        let keys = Array(await KeyActivityCodecTests.realKeys().prefix(20))
        for bytes in [KeyBucket.encode(keys), Self.deflateBucket(keys)] {
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 100)) {
                #expect(throws: StoreError.self) { try Self.decode(Array(bytes[..<length])) }
            }
            // A wrong length in the header.
            var longer = bytes
            longer[1] &+= 1
            #expect(throws: StoreError.self) { try Self.decode(longer) }
            // Altered compressed bytes: neither format has a checksum, so this can only ask for no crash; the
            // records' own structure catches most such damage.
            for position in stride(from: 3, to: bytes.count, by: max(1, bytes.count / 50)) {
                var altered = bytes
                altered[position] ^= 0x5A
                _ = try? Self.decode(altered)
            }
        }
        var unknown = KeyBucket.encode(keys)
        unknown[0] = 3
        let error = #expect(throws: StoreError.self) { try Self.decode(unknown) }
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("version 3") == true)
    }
}
