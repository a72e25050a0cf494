/// Byte-level facts about JSON text that the scanner's loops use.
enum JSONBytes {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let newline = UInt8(ascii: "\n")

    /// Classes of bytes outside strings.
    enum ByteClass: UInt8 {
        /// Not valid here: the end-of-data sentinel (0), control bytes, stray letters, non-ASCII.
        case invalid = 0
        /// Space, tab, CR, LF.
        case whitespace
        /// Bytes of numbers and of `true`, `false`, `null`.
        case scalar
        /// `,` and `:`.
        case punctuation
        case quote
        case open
        case close
    }

    /// The class of every byte value, allocated once and never freed (read through a pointer in hot loops).
    nonisolated(unsafe) static let classes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: ByteClass.invalid.rawValue, count: 256)
        for byte in [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")] {
            table[Int(byte)] = ByteClass.whitespace.rawValue
        }
        for byte in Array("0123456789+-.eEtruefalsn".utf8) { table[Int(byte)] = ByteClass.scalar.rawValue }
        table[Int(comma)] = ByteClass.punctuation.rawValue
        table[Int(colon)] = ByteClass.punctuation.rawValue
        table[Int(quote)] = ByteClass.quote.rawValue
        table[Int(openBrace)] = ByteClass.open.rawValue
        table[Int(openBracket)] = ByteClass.open.rawValue
        table[Int(closeBrace)] = ByteClass.close.rawValue
        table[Int(closeBracket)] = ByteClass.close.rawValue
        return UnsafePointer(table)
    }()

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Flags, in the high bit of each byte lane, the bytes of a little-endian word that end a fast run inside a
    /// string: `"`, `\`, control bytes (< 0x20, including the 0 sentinel) and non-ASCII bytes (which are then
    /// validated as UTF-8). The lowest flagged lane is always exact; higher lanes may be false positives.
    @inline(__always)
    static func stringStopMask(_ word: UInt64) -> UInt64 {
        let q = word ^ (ones &* 0x22)
        let b = word ^ (ones &* 0x5C)
        let quotes = (q &- ones) & ~q
        let backslashes = (b &- ones) & ~b
        let controls = (word &- ones &* 0x20) & ~word
        return (quotes | backslashes | controls | word) & highs
    }

    /// The length of the UTF-8 sequence starting at `p` if it is well-formed (1–4), 0 if it is not, or -1 if it
    /// may be well-formed but runs past `end`.
    @inline(__always)
    static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int {
        let lead = p[0]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowerBound = 0xA0
        case 0xED:
            length = 3
            upperBound = 0x9F
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xF0:
            length = 4
            lowerBound = 0x90
        case 0xF4:
            length = 4
            upperBound = 0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        for i in 1..<length {
            if p + i >= end { return -1 }
            let byte = p[i]
            if i == 1 {
                guard byte >= lowerBound && byte <= upperBound else { return 0 }
            } else {
                guard byte & 0xC0 == 0x80 else { return 0 }
            }
        }
        return length
    }

    /// The value of an ASCII hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
