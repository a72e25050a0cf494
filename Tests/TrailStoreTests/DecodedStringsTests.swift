import Testing
import TrailTestSupport

@testable import TrailStore

@Suite("DecodedStrings: one String per distinct decoded value")
struct DecodedStringsTests {
    /// The address of a string's UTF-8 storage, to tell a shared string from an equal copy.
    static func storage(_ string: String) -> UnsafeRawPointer? {
        string.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test("every string decodes as its bytes, while the table grows, and a repeat is the same string")
    func repeats() {
        var generator = SeededGenerator(seed: 0x5EED_0D1C)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789/:.-_ äöü€")
        var values: [[UInt8]] = []
        for index in 0..<5_000 {
            let length = Int.random(in: 1...90, using: &generator)
            let tail = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            values.append(Array("\(index):\(tail)".utf8))
        }
        let cache = DecodedStrings()
        var first: [String] = []
        for bytes in values {
            let string = bytes.withUnsafeBufferPointer { cache.string($0) }
            #expect(string == String(decoding: bytes, as: UTF8.self))
            first.append(string)
        }
        for (index, bytes) in values.enumerated().shuffled(using: &generator) {
            let again = bytes.withUnsafeBufferPointer { cache.string($0) }
            #expect(again == first[index])
            if bytes.count > 15 { #expect(Self.storage(again) == Self.storage(first[index])) }
        }
    }

    @Test("invalid UTF-8 is repaired as String(decoding:as:) repairs it, every time")
    func invalidBytes() {
        let cache = DecodedStrings()
        let invalid: [UInt8] = Array("Mozilla/5.0 (X11; ".utf8) + [0xFF, 0xC3] + Array(" Linux)".utf8)
        let expected = String(decoding: invalid, as: UTF8.self)
        for _ in 0..<3 { #expect(invalid.withUnsafeBufferPointer { cache.string($0) } == expected) }
        // The repaired text's own bytes are a different value, decoded as themselves.
        let repaired = Array(expected.utf8)
        #expect(repaired.withUnsafeBufferPointer { cache.string($0) } == expected)
    }
}
