/// Escaping for the report formats: every value that comes from a log passes through here.
enum ReportText {
    /// Text for HTML element content and attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x7F {
                    out += "&#xFFFD;"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text for a Markdown paragraph or table cell: markup characters backslash-escaped, line breaks and pipes
    /// kept out of table structure, control characters made visible.
    static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "~": out += "\\" + String(scalar)
            case "\n", "\r": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A code span for a value that may come from a log: backticks when the text is safe in one (no backtick, pipe
    /// or line break), else escaped plain text.
    static func markdownCode(_ text: String) -> String {
        let unsafe = text.unicodeScalars.contains { $0 == "`" || $0 == "|" || $0.value < 0x20 || $0.value == 0x7F }
        return unsafe || text.isEmpty ? markdown(text) : "`" + text + "`"
    }
}
