/// A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF), enough for the IAM credential report.
enum CSVReader {
    /// The rows of `text`, each with the one-based line it starts on.
    static func rows(_ text: String) throws(CSVError) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        var sawAny = false
        while let scalar = next() {
            sawAny = true
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\r":
                continue
            case "\n":
                fields.append(field)
                field = ""
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                fields = []
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw CSVError(line: rowLine, reason: "a quoted field is not closed") }
        if sawAny && (!field.isEmpty || !fields.isEmpty) {
            fields.append(field)
            rows.append((rowLine, fields))
        }
        return rows
    }

    struct CSVError: Error {
        let line: Int
        let reason: String
    }
}
