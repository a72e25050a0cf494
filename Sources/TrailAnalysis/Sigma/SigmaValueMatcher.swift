import TrailModel

/// One value of a Sigma field test, compiled: what a field's value must be for the test to hold.
public indirect enum SigmaValueMatcher: Sendable, Equatable {
    /// A string, with wildcards and `contains`/`startswith`/`endswith`; case-insensitive.
    case text(SigmaPattern)
    /// A number written in the rule: equal numerically, or as text.
    case number(Double, SigmaPattern)
    /// `true` or `false`: a JSON boolean or the string, in any case.
    case bool(Bool)
    /// `null`: the field is missing or null (decided by the field test, which sees whether values exist).
    case null
    /// `re`: a regular expression found anywhere in the value.
    case regex(SigmaRegex)
    /// `lt`, `lte`, `gt`, `gte`: a numeric comparison.
    case compare(SigmaComparison, Double)
    /// `cidr`: an IP address inside the network.
    case cidr(CIDR)
    /// Any of several encodings of one value (`base64offset`, `windash`).
    case anyOf([SigmaValueMatcher])

    /// Whether a value of `kind` with `text` matches.
    func matches(_ kind: SigmaValueKind, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .text(let pattern):
            if kind == .null { return false }
            if pattern.matches(text) { return true }
            // IAM policies and other documents arrive as JSON inside strings: match them unescaped as well.
            return kind == .json && Self.hasEscapedQuote(text) && Self.embeddedText(text).map(pattern.matches) == true
        case .number(let value, let pattern):
            switch kind {
            case .number(let number): return number == value
            case .string: return pattern.matches(text) || Double(String(decoding: text, as: UTF8.self)) == value
            default: return false
            }
        case .bool(let flag):
            switch kind {
            case .bool(let value): return value == flag
            case .string: return (flag ? Self.trueText : Self.falseText).matches(text)
            default: return false
            }
        case .null:
            return kind == .null
        case .regex(let regex):
            return kind != .null && regex.matches(text)
        case .compare(let comparison, let bound):
            let number: Double?
            switch kind {
            case .number(let value): number = value
            case .string: number = Double(String(decoding: text, as: UTF8.self))
            default: number = nil
            }
            return number.map { comparison.holds($0, bound) } ?? false
        case .cidr(let network):
            return kind == .string && network.contains(String(decoding: text, as: UTF8.self))
        case .anyOf(let matchers):
            return matchers.contains { $0.matches(kind, text) }
        }
    }

    private static let trueText = SigmaPattern("true", cased: false)
    private static let falseText = SigmaPattern("false", cased: false)

    private static func hasEscapedQuote(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 2 else { return false }
        for index in 1..<text.count where text[index] == UInt8(ascii: "\"") && text[index - 1] == UInt8(ascii: "\\") {
            return true
        }
        return false
    }

    /// The JSON text with string members that hold JSON documents replaced by those documents.
    private static func embeddedText(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let value = try? JSONValue.parse(text) else { return nil }
        func expand(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string: return value.decodingEmbeddedJSON
            case .array(let elements): return .array(elements.map(expand))
            case .object(let members): return .object(members.map { .init($0.key, expand($0.value)) })
            default: return value
            }
        }
        return Array(expand(value).jsonText.utf8)
    }
}

/// The numeric comparison modifiers.
public enum SigmaComparison: String, Sendable, Equatable {
    case lt, lte, gt, gte

    func holds(_ value: Double, _ bound: Double) -> Bool {
        switch self {
        case .lt: return value < bound
        case .lte: return value <= bound
        case .gt: return value > bound
        case .gte: return value >= bound
        }
    }
}
