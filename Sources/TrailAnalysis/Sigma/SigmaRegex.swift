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
        if let nested = Self.nestedRepetition(in: source) { throw UnsafePattern(part: nested) }
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

    /// A pattern refused because it can take exponential time on a crafted value.
    public struct UnsafePattern: Error, CustomStringConvertible {
        /// The repeated group that repeats inside, as written.
        public let part: String
        public var description: String {
            "\"\(part)\" repeats a group that itself repeats; a backtracking matcher can take exponential time on a "
                + "value an attacker writes (a user agent, a request parameter). Rewrite it without the nesting, e.g. "
                + "(ab+)+ as (ab+)(ab+)* or a contains/startswith modifier"
        }
    }

    /// The first group with a repetition inside that is itself repeated (`(a+)+`, `(x\w*)*`, `(?:a|b+){2,}`):
    /// star height above one, the shape behind most catastrophic backtracking. Nil when there is none.
    static func nestedRepetition(in source: String) -> String? {
        let scalars = Array(source.unicodeScalars)
        var openGroups: [(start: Int, repeats: Bool)] = []
        var closedGroup: (start: Int, repeats: Bool)?
        var inClass = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if scalar == "\\" {
                index += 1
                closedGroup = nil
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                continue
            }
            var repetitionEnd: Int?
            switch scalar {
            case "[": inClass = true
            case "(": openGroups.append((index, false))
            case ")":
                if let group = openGroups.popLast() {
                    closedGroup = group
                    continue
                }
            case "*", "+": repetitionEnd = index
            case "{": repetitionEnd = Self.openEndedCount(scalars, from: index)
            default: break
            }
            if let end = repetitionEnd {
                if let group = closedGroup, group.repeats {
                    return String(String.UnicodeScalarView(scalars[group.start...end]))
                }
                for position in openGroups.indices { openGroups[position].repeats = true }
                index = end
            }
            closedGroup = nil
        }
        return nil
    }

    /// For a `{` at `start`: the index of the closing `}` when it is a count allowing more than one (`{2,}`,
    /// `{1,5}`), else nil (`{3}` and literal braces).
    private static func openEndedCount(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        var sawComma = false
        var upper = ""
        while index < scalars.count, scalars[index] != "}" {
            let scalar = scalars[index]
            if scalar == "," {
                if sawComma { return nil }
                sawComma = true
            } else if !("0"..."9").contains(scalar) {
                return nil
            } else if sawComma {
                upper.unicodeScalars.append(scalar)
            }
            index += 1
        }
        guard index < scalars.count, sawComma else { return nil }
        return upper.isEmpty || (Int(upper) ?? 2) > 1 ? index : nil
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
