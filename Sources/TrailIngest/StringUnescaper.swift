/// Decodes JSON string escapes in place.
enum StringUnescaper {
    /// Decodes the escapes of the `count` bytes at `p` (the text between the quotes) in place.
    ///
    /// `\uXXXX` escapes become UTF-8; a surrogate pair becomes one 4-byte sequence; a lone surrogate becomes
    /// U+FFFD. The result is never longer than the input.
    /// - Returns: the decoded length.
    static func unescape(_ p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var read = 0
        var write = 0
        while read < count {
            let c = p[read]
            if c != JSONBytes.backslash {
                p[write] = c
                write += 1
                read += 1
                continue
            }
            guard read + 1 < count else { break }
            let e = p[read + 1]
            read += 2
            switch e {
            case UInt8(ascii: "n"): p[write] = 0x0A
            case UInt8(ascii: "t"): p[write] = 0x09
            case UInt8(ascii: "r"): p[write] = 0x0D
            case UInt8(ascii: "b"): p[write] = 0x08
            case UInt8(ascii: "f"): p[write] = 0x0C
            case UInt8(ascii: "u"):
                guard let unit = hex4(p, read, count) else {
                    write += encode(0xFFFD, into: p + write)
                    continue
                }
                read += 4
                var scalar = unit
                if unit >= 0xD800 && unit <= 0xDBFF {
                    if read + 6 <= count && p[read] == JSONBytes.backslash && p[read + 1] == UInt8(ascii: "u"),
                        let low = hex4(p, read + 2, count), low >= 0xDC00 && low <= 0xDFFF
                    {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        read += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    scalar = 0xFFFD
                }
                write += encode(scalar, into: p + write)
                continue
            default:
                // `"`, `\`, `/` stand for themselves; invalid escapes were reported by the scanner.
                p[write] = e
            }
            write += 1
        }
        return write
    }

    private static func hex4(_ p: UnsafeMutablePointer<UInt8>, _ at: Int, _ count: Int) -> UInt32? {
        guard at + 4 <= count else { return nil }
        var value: UInt32 = 0
        for i in 0..<4 {
            guard let digit = JSONBytes.hexValue(p[at + i]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func encode(_ scalar: UInt32, into p: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            p[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            p[0] = UInt8(0xC0 | scalar >> 6)
            p[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            p[0] = UInt8(0xE0 | scalar >> 12)
            p[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            p[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            p[0] = UInt8(0xF0 | scalar >> 18)
            p[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            p[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            p[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
