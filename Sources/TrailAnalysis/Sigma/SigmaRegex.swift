/// A Sigma `re` value: a regular expression searched anywhere in the value, with a literal that every match must
/// contain checked first, so a regex on a field of every record costs a substring search, not a regex run.
public struct SigmaRegex: @unchecked Sendable, Equatable {
    /// The expression as written in the rule.
    public let source: String
    /// `i`, `m`, `s` as given by `re|i`, `re|m`, `re|s`.
    public let flags: String
    private let regex: Regex<AnyRegexOutput>
    /// Bytes every match contains (ASCII-folded when case-insensitive), or nil when none could be derived.
    let requiredLiteral: [UInt8]?

    /// Compiles `source`; `flags` is a subset of `ims`.
    /// - Throws: the regex parser's error when the expression is invalid.
    public init(_ source: String, flags: String = "") throws {
        self.source = source
        self.flags = String(flags.sorted())
        let prefix = flags.isEmpty ? "" : "(?\(self.flags))"
        regex = try Regex(prefix + source)
        let caseInsensitive = flags.contains("i")
        requiredLiteral = Self.requiredLiteral(of: source).flatMap { literal in
            guard caseInsensitive else { return literal }
            return literal.allSatisfy { $0 < 0x80 } ? literal.map(SigmaPattern.foldASCII) : nil
        }
    }

    public static func == (a: SigmaRegex, b: SigmaRegex) -> Bool { a.source == b.source && a.flags == b.flags }

    /// Whether the expression matches somewhere in `text`.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if let requiredLiteral, !requiredLiteral.isEmpty,
            !SigmaPattern.find(requiredLiteral, in: text, fold: flags.contains("i"))
        {
            return false
        }
        let string = String(decoding: text, as: UTF8.self)
        return (try? regex.firstMatch(in: string)) != nil
    }

    /// The longest run of literal characters that any match must contain; nil for expressions with alternation or
    /// groups (whose parts may be optional) or without such a run.
    public static func requiredLiteral(of source: String) -> [UInt8]? {
        var runs: [[UInt8]] = []
        var current: [UInt8] = []
        var iterator = Array(source.unicodeScalars).makeIterator()
        func endRun() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        while let scalar = iterator.next() {
            switch scalar {
            case "|", "(", ")":
                return nil
            case "\\":
                guard let next = iterator.next() else { return nil }
                if next.properties.isAlphabetic || next.properties.numericType != nil {
                    endRun()  // \d, \w, \b, \1 …: not a literal
                } else {
                    current += Array(String(next).utf8)
                }
            case ".", "^", "$", "+":
                endRun()
            case "*", "?":
                if !current.isEmpty { current.removeLast() }  // the previous character is optional
                endRun()
            case "{":
                if !current.isEmpty { current.removeLast() }
                endRun()
                while let skipped = iterator.next(), skipped != "}" {}
            case "[":
                endRun()
                var escaped = false
                while let skipped = iterator.next() {
                    if escaped {
                        escaped = false
                    } else if skipped == "\\" {
                        escaped = true
                    } else if skipped == "]" {
                        break
                    }
                }
            default:
                current += Array(String(scalar).utf8)
            }
        }
        endRun()
        // A quantifier after a multi-byte character removed only its last byte: keep whole runs only.
        return runs.filter { String(validating: $0, as: UTF8.self) != nil }.max { $0.count < $1.count }
    }
}
