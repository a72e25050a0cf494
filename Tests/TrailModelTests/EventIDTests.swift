import Testing
import TrailTestSupport

@testable import TrailModel

@Suite("EventID: CloudTrail's UUIDs packed, any other ID kept as text, ordered by bytes either way")
struct EventIDTests {
    @Test("a lowercase UUID is packed and reads back as the same text")
    func packsLowercaseUUID() {
        let text = "0c4e7a1f-5b2d-4e8a-9f3c-d2a1b0c9e8f7"
        let id = EventID(text)
        #expect(id == .uuid(0x0c4e_7a1f_5b2d_4e8a, 0x9f3c_d2a1_b0c9_e8f7))
        #expect(id.string == text)
    }

    @Test(
        "other IDs are kept as their text",
        arguments: [
            "0C4E7A1F-5B2D-4E8A-9F3C-D2A1B0C9E8F7", "0c4e7a1f5b2d4e8a9f3cd2a1b0c9e8f7",
            "0c4e7a1f-5b2d-4e8a-9f3c-d2a1b0c9e8fg", "0c4e7a1f-5b2d-4e8a-9f3cd-2a1b0c9e8f7", "", "evt-1",
            "EXAMPLE8-9bc6-4f64-8e2d-1ca2EXAMPLE", "ü0c4e7a1-5b2d-4e8a-9f3c-d2a1b0c9e8f7",
        ])
    func keepsOtherText(text: String) {
        #expect(EventID(text) == .text(text))
        #expect(EventID(text).string == text)
    }

    @Test("order, equality and comesAfter agree with the IDs' bytes, across both forms", arguments: 0..<20)
    func byteOrder(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        func randomID() -> String {
            // Few distinct digits, so that IDs share long prefixes and some are equal.
            let hex = (0..<32).map { _ in "0af".randomElement(using: &generator)! }
            let uuid =
                String(hex.prefix(8)) + "-" + hex[8..<12] + "-" + hex[12..<16] + "-" + hex[16..<20] + "-"
                + hex[20...]
            return [uuid, uuid, String(hex), String(uuid.prefix(20)), uuid + "0", "0-"].randomElement(
                using: &generator)!
        }
        for _ in 0..<200 {
            let (a, b) = (randomID(), randomID())
            let bytesOrder = a.utf8.lexicographicallyPrecedes(b.utf8)
            #expect((EventID(a) < EventID(b)) == bytesOrder, "\(a) < \(b)")
            #expect((EventID(a) == EventID(b)) == (a == b), "\(a) == \(b)")
            var bytes = a
            #expect(bytes.withUTF8 { EventID(b).comesAfter($0) } == bytesOrder, "\(b) comes after \(a)")
        }
    }

    @Test("every digit position takes each hex digit, and refuses each byte that is not a lowercase hex digit")
    func digitsAtEveryPosition() {
        let template = Array("0123abcd-4567-89ef-0a1b-2c3d4e5f6789".utf8)
        let positions = template.indices.filter { ![8, 13, 18, 23].contains($0) }
        // Neighbours of the digit and letter ranges, other cases, a dash, non-ASCII bytes.
        let refused: [UInt8] = [0x2F, 0x3A, 0x40, 0x41, 0x46, 0x47, 0x60, 0x67, 0x2D, 0x00, 0x80, 0xB0, 0xE6, 0xFF]
        for position in positions {
            for digit in Array("0123456789abcdef".utf8) {
                var bytes = template
                bytes[position] = digit
                let text = String(decoding: bytes, as: UTF8.self)
                let hex = UInt64(text.replacingOccurrences(of: "-", with: "").prefix(16), radix: 16)!
                let low = UInt64(text.replacingOccurrences(of: "-", with: "").dropFirst(16), radix: 16)!
                #expect(EventID(text) == .uuid(hex, low), "\(text)")
            }
            for byte in refused {
                var bytes = template
                bytes[position] = byte
                let id = bytes.withUnsafeBufferPointer { EventID($0) }
                if case .uuid = id { Issue.record("byte \(byte) at \(position) was packed") }
            }
        }
    }

    @Test("a packed UUID spells out its own text, digit for digit", arguments: 0..<8)
    func spellsOutText(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        for _ in 0..<500 {
            // Digits drawn one at a time, so that every value of every position turns up.
            let hex = String((0..<32).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
            let text = [
                hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
                hex.dropFirst(20),
            ].joined(separator: "-")
            let id = EventID(text)
            guard case .uuid = id else {
                Issue.record("\(text) was not packed")
                continue
            }
            #expect(id.string == text)
        }
    }
}
