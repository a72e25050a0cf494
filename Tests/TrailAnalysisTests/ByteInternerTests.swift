import Testing

@testable import TrailAnalysis

@Suite("ByteInterner: one id per distinct string")
struct ByteInternerTests {
    @Test("strings of every length, sharing inline prefixes, keep distinct ids through rehashing")
    func distinctIDs() {
        let interner = ByteInterner(seed: 42)
        // Lengths around the 23-byte inline limit, and long strings that differ only after byte 23.
        var strings: [String] = []
        for length in 0..<64 { strings.append(String(repeating: "x", count: length)) }
        for index in 0..<3_000 { strings.append("Mozilla/5.0 (same prefix beyond 23 bytes) build \(index)") }
        for index in 0..<3_000 { strings.append("10.\(index / 250).\(index % 250).1") }
        var ids: [UInt32] = []
        for string in strings {
            var copy = string
            let id = copy.withUTF8 { buffer in
                // Copy into a padded buffer: the interner reads up to 8 bytes past the end.
                let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: buffer.count + 32)
                padded.initialize(repeating: 0xEE, count: buffer.count + 32)
                if let source = buffer.baseAddress { padded.update(from: source, count: buffer.count) }
                defer { padded.deallocate() }
                return interner.intern(UnsafePointer(padded), count: buffer.count)
            }
            ids.append(id)
        }
        #expect(Set(ids).count == strings.count)
        #expect(interner.count == strings.count)
        for (string, id) in zip(strings, ids) { #expect(interner.string(id) == string) }
        // Looking up again finds the same ids; unknown strings are not found.
        for (string, id) in zip(strings, ids).prefix(200) {
            var copy = string + "\0\0\0\0\0\0\0\0"
            let found = copy.withUTF8 { interner.find($0.baseAddress!, count: string.utf8.count) }
            #expect(found == id)
        }
        var unknown = "not interned at all, longer than twenty-three bytes\0\0\0\0\0\0\0\0"
        #expect(unknown.withUTF8 { interner.find($0.baseAddress!, count: $0.count - 8) } == nil)
    }

    @Test("removeAll empties the table for reuse")
    func removeAll() {
        let interner = ByteInterner(seed: 1)
        var text = "abc\0\0\0\0\0\0\0\0"
        _ = text.withUTF8 { interner.intern($0.baseAddress!, count: 3) }
        interner.removeAll()
        #expect(interner.count == 0)
        #expect(text.withUTF8 { interner.find($0.baseAddress!, count: 3) } == nil)
    }
}
