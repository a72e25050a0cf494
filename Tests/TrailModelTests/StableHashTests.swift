import Testing
import TrailTestSupport

@testable import TrailModel

@Suite("StableHash: word-at-a-time reads give the hash of the byte-by-byte definition")
struct StableHashTests {
    /// The hash as first written: whole words, then the tail one byte at a time. Stored sketches and the values a
    /// capped set keeps depend on these exact numbers.
    static func byteLoopHash(_ bytes: [UInt8], seed: UInt64 = StableHash.defaultSeed) -> UInt64 {
        let m1: UInt64 = 0xA076_1D64_78BD_642F
        let m2: UInt64 = 0xE703_7ED1_A0B4_28DB
        var h = seed ^ (UInt64(truncatingIfNeeded: bytes.count) &* m1)
        var i = 0
        while i + 8 <= bytes.count {
            var word: UInt64 = 0
            for offset in 0..<8 { word |= UInt64(bytes[i + offset]) << (8 * UInt64(offset)) }
            h = StableHash.mix(h ^ word, m2)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = StableHash.mix(h ^ tail, m1)
        }
        return StableHash.finalize(h)
    }

    @Test("every length from 0 to 40, at every alignment, with random bytes", arguments: 0..<6)
    func matchesByteLoop(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        // Bytes around each string differ, so a load that strayed outside it would change the hash.
        let buffer = (0..<96).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in 0...40 {
            for start in 0..<8 {
                let bytes = Array(buffer[start..<(start + length)])
                let expected = Self.byteLoopHash(bytes, seed: UInt64(seed) &* 0x1_0000_0001)
                let actual = buffer.withUnsafeBufferPointer {
                    StableHash.hash($0.baseAddress! + start, count: length, seed: UInt64(seed) &* 0x1_0000_0001)
                }
                #expect(actual == expected, "length \(length) at offset \(start)")
            }
        }
    }

    @Test("a String hashes as its UTF-8 bytes, with the default seed by default")
    func stringHash() {
        for text in ["", "a", "AssumeRole", "arn:aws:iam::123456789012:user/alice", "ü-Ɥ"] {
            #expect(StableHash.hash(text) == Self.byteLoopHash(Array(text.utf8)))
        }
    }
}
