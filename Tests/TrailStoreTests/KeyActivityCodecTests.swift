import Testing
import TrailEngine
import TrailModel
import TrailTestSupport

@testable import TrailStore

@Suite("KeyActivityCodec: the stored form of a key's history")
struct KeyActivityCodecTests {
    /// Every key of the real CloudTrail records and of the bundled sample logs.
    static func realKeys() async -> [KeyActivity] {
        let result = await ScanPipeline(options: ScanOptions(paths: [Fixtures.realData, Fixtures.sampleLogs])).run()
        return result.keys
    }

    @Test("a round trip gives an equal value for every key of real and sample logs")
    func roundTrip() async throws {
        let keys = await Self.realKeys()
        #expect(keys.count > 50)
        // The sample includes keys with networks per day, direct use and errors: the fields most easily lost.
        #expect(keys.contains { !$0.dailyNetworks.isEmpty })
        #expect(keys.contains { $0.errors > 0 })
        for key in keys {
            let decoded = try KeyActivityCodec.decode(KeyActivityCodec.encode(key))
            #expect(decoded == key, "\(key.accessKeyID.value)")
        }
    }

    @Test("truncated or altered bytes are a 'damaged' error, never a crash or a wrong value")
    func damagedBytes() async throws {
        let key = try #require(await Self.realKeys().max { $0.events < $1.events })
        let bytes = KeyActivityCodec.encode(key)
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: StoreError.self) { try KeyActivityCodec.decode(Array(bytes[..<length])) }
        }
        var wrongVersion = bytes
        wrongVersion[0] = 99
        let error = #expect(throws: StoreError.self) { try KeyActivityCodec.decode(wrongVersion) }
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("backup") == true)
    }

    @Test("any one byte of a record altered decodes to a value or a 'corrupt' error, with or without a string cache")
    func alteredBytes() async throws {
        let key = try #require(await Self.realKeys().max { $0.events < $1.events })
        let bytes = KeyActivityCodec.encode(key)
        let strings = DecodedStrings()
        var failures = 0
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0x40, 0x80, 0xFF] {
                var altered = bytes
                altered[position] ^= mask
                do {
                    _ = try KeyActivityCodec.decode(altered)
                } catch {
                    #expect(error.kind == .corrupt)
                    failures += 1
                }
                var reader = ByteReader(altered, strings: strings)
                _ = try? KeyActivityCodec.decode(&reader)
            }
        }
        // Damage to a length, a count or the end is caught (730 of the 10,476 alterations of this record); the
        // rest changes a value and cannot be told from one (records carry no checksum).
        #expect(failures > 0)
    }
}
