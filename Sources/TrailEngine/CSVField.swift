/// One CSV field, quoted as RFC 4180 wants and defused for spreadsheets: a value from a log that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would run as a formula when the file is opened (CSV injection), so it
/// gets a leading apostrophe.
enum CSVField {
    static func encode(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A line of fields, ending with CRLF.
    static func line(_ fields: [String]) -> String { fields.map(encode).joined(separator: ",") + "\r\n" }
}
