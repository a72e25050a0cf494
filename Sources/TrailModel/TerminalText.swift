/// Makes text from logs safe to print on a terminal.
///
/// CloudTrail values such as user agents and user names are chosen by whoever calls AWS, attackers included. An
/// escape sequence in one could move the cursor, rewrite earlier lines or retitle the terminal of the person
/// reading keytrail's output, so every control character is shown as a visible escape instead.
public enum TerminalText {
    /// Escapes C0 and C1 control characters, DEL, and the Unicode bidirectional overrides that can reorder text.
    /// - Parameter text: a value from a log.
    /// - Returns: text that prints as itself: `\e[2J` becomes `\x1b[2J`.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                let value = scalar.value
                if value < 0x100 {
                    result += "\\x" + (value < 16 ? "0" : "") + String(value, radix: 16)
                } else {
                    result += "\\u{" + String(value, radix: 16) + "}"
                }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }
}
