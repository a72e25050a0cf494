import Foundation
import Testing
import TrailModel
import TrailTestSupport

@Suite("JSONWriter: ordered, escaped, always valid")
struct JSONWriterTests {
    @Test("members keep their order; compact and pretty forms")
    func layout() {
        let compact = JSONWriter()
        compact.beginObject()
        compact.field("z", 1)
        compact.field("a", "x")
        compact.key("list")
        compact.beginArray(inline: true)
        compact.value(1)
        compact.value(-2)
        compact.endArray()
        compact.key("empty")
        compact.beginObject()
        compact.endObject()
        compact.endObject()
        #expect(compact.text == #"{"z":1,"a":"x","list":[1,-2],"empty":{}}"#)

        let pretty = JSONWriter(indent: 2)
        pretty.beginObject()
        pretty.field("a", true)
        pretty.key("list")
        pretty.beginArray(inline: true)
        pretty.value(1)
        pretty.value(2)
        pretty.endArray()
        pretty.endObject()
        #expect(pretty.text == "{\n  \"a\": true,\n  \"list\": [1, 2]\n}")
    }

    @Test("containers nested past 64 levels keep their separators, indentation and inline form")
    func deepNesting() throws {
        let writer = JSONWriter(indent: 1)
        for level in 0..<100 {
            writer.beginObject()
            writer.field("level", level)
            if level == 70 {
                writer.key("pair")
                writer.beginArray(inline: true)
                writer.value(1)
                writer.value(2)
                writer.endArray()
            }
            writer.key("next")
        }
        writer.null()
        for _ in 0..<100 { writer.endObject() }
        let text = writer.text
        #expect(text.contains("\n" + String(repeating: " ", count: 71) + "\"pair\": [1, 2],\n"))
        #expect(text.contains("\n" + String(repeating: " ", count: 100) + "\"next\": null\n"))
        var value = try #require(JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        for level in 0..<99 {
            #expect(value["level"] as? Int == level)
            value = try #require(value["next"] as? [String: Any])
        }
        #expect(value["next"] is NSNull)
    }

    @Test("control characters, quotes and backslashes are escaped")
    func escaping() {
        #expect(JSONWriter.quoted("a\"b\\c\n\t\u{1B}[2J\u{7F}") == #""a\"b\\c\n\t\u001b[2J\u007f""#)
    }

    @Test("integers and timestamps are written exactly")
    func numbers() {
        let writer = JSONWriter()
        writer.beginArray()
        for number in [0, 7, -7, Int.max, Int.min] { writer.value(number) }
        writer.timestamp(1_795_910_399)
        writer.endArray()
        #expect(writer.text == "[0,7,-7,\(Int.max),\(Int.min),\"2026-11-28T23:59:59Z\"]")
    }

    @Test("every number of digits, and each side of every power of ten, is written as the standard library does")
    func integerDigits() {
        var numbers: [Int64] = [0, 1, -1, Int64.max, Int64.max - 1, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 1...18 {
            power *= 10
            numbers += [power - 1, power, power + 1, -power, -(power - 1), power * 3 + 57]
        }
        var generator = SeededGenerator(seed: 19)
        numbers += (0..<500).map { _ in
            Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...63, using: &generator)
        }
        let writer = JSONWriter()
        writer.beginArray()
        for number in numbers { writer.value(number) }
        writer.endArray()
        #expect(writer.text == "[" + numbers.map(String.init).joined(separator: ",") + "]")
    }

    @Test("a character to escape is found at every position of strings of every length up to 40")
    func escapeAtEveryPosition() {
        let specials: [(Character, String)] = [("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{1F}", #"\u001f"#)]
        for length in 1...40 {
            let plain = String(repeating: "a", count: length)
            #expect(JSONWriter.quoted(plain) == "\"\(plain)\"")
            for position in 0..<length {
                for (special, escaped) in specials {
                    var characters = Array(plain)
                    characters[position] = special
                    let expected =
                        String(repeating: "a", count: position) + escaped
                        + String(repeating: "a", count: length - position - 1)
                    #expect(JSONWriter.quoted(String(characters)) == "\"\(expected)\"")
                }
            }
        }
    }

    @Test("the buffer grows past its first size, in one value and in many small ones")
    func growth() {
        let original = JSONWriter()
        original.beginArray()
        original.value("shared")
        original.value(String(repeating: "x", count: 10_000))
        original.endArray()
        #expect(original.text == #"["shared",""# + String(repeating: "x", count: 10_000) + #""]"#)
        let many = JSONWriter()
        many.beginArray()
        for index in 0..<5_000 { many.value(index) }
        many.endArray()
        #expect(many.text == "[" + (0..<5_000).map(String.init).joined(separator: ",") + "]")
        var drained: [UInt8] = []
        original.drain { drained = $0 }
        #expect(drained.count == 10_013)
        original.newline()
        #expect(original.text == "\n")
    }

    @Test(
        "timestamps outside four-digit years are clamped, not garbled",
        arguments: [
            (Int64(-62_167_219_200 - 86_400), "0000-"), (Int64(253_402_300_800 + 86_400 * 400), "9999-"),
            (Int64(0), "1970-01-01T00:00:00Z"),
        ] as [(Int64, String)])
    func timestampRange(seconds: Int64, prefix: String) {
        let writer = JSONWriter()
        writer.timestamp(seconds)
        #expect(writer.text.hasPrefix("\"" + prefix))
        #expect(writer.text.count == 22)
    }

    @Test("random strings round-trip through a JSON parser")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] =
            (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "€", "😀", "\u{202E}", "\u{2028}"]
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            // Lengths past 16 reach the eight-bytes-at-a-time escape test with the special byte in any lane.
            for _ in 0..<Int.random(in: 0..<40, using: &generator) {
                text.append(alphabet.randomElement(using: &generator)!)
            }
            let string = String(text)
            let writer = JSONWriter()
            writer.beginObject()
            writer.field(string, string)
            writer.endObject()
            let parsed = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: String]
            #expect(parsed == [string: string])
        }
    }
}
