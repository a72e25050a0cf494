/// Parses a Sigma condition: `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`, `1 of them`, `all of them`
/// (`any of` as `1 of`); precedence `not` > `and` > `or`.
public struct SigmaConditionParser {
    /// Why a condition could not be parsed.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The most brackets and `not`s a condition may nest: far beyond any real rule, and small enough that parsing and
    /// evaluating (both recursive) cannot exhaust the stack.
    public static let maximumNesting = 64

    private let names: [String]
    private var tokens: [String]
    private var position = 0
    private var nesting = 0

    /// A parser for conditions over the searches `names` (their indices are the condition's search numbers).
    public init(names: [String]) {
        self.names = names
        self.tokens = []
    }

    /// Parses `text`.
    public mutating func parse(_ text: String) throws(Failure) -> SigmaCondition {
        if text.contains("|") {
            throw Failure(
                description: "the condition \"\(text)\" uses the retired aggregation syntax (\"| count() …\"); "
                    + "write it as a Sigma correlation rule")
        }
        tokens = Self.tokenize(text)
        position = 0
        nesting = 0
        guard !tokens.isEmpty else { throw Failure(description: "the condition is empty") }
        let condition = try orExpression()
        guard position == tokens.count else {
            throw Failure(description: "unexpected \"\(tokens[position])\" in the condition \"\(text)\"")
        }
        return condition
    }

    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character == "(" || character == ")" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                tokens.append(String(character))
            } else if character.isWhitespace {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private var next: String? { position < tokens.count ? tokens[position] : nil }

    private mutating func orExpression() throws(Failure) -> SigmaCondition {
        var parts = [try andExpression()]
        while next?.lowercased() == "or" {
            position += 1
            parts.append(try andExpression())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func andExpression() throws(Failure) -> SigmaCondition {
        var parts = [try notExpression()]
        while next?.lowercased() == "and" {
            position += 1
            parts.append(try notExpression())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func notExpression() throws(Failure) -> SigmaCondition {
        if next?.lowercased() == "not" {
            position += 1
            try enter()
            defer { nesting -= 1 }
            return .not(try notExpression())
        }
        return try primary()
    }

    /// Counts one more level of brackets or `not`; past ``maximumNesting`` the condition is refused.
    private mutating func enter() throws(Failure) {
        nesting += 1
        guard nesting <= Self.maximumNesting else {
            throw Failure(
                description: "the condition nests brackets and \"not\" deeper than \(Self.maximumNesting) levels")
        }
    }

    private mutating func primary() throws(Failure) -> SigmaCondition {
        guard let token = next else { throw Failure(description: "the condition ends where a search was expected") }
        position += 1
        if token == "(" {
            try enter()
            defer { nesting -= 1 }
            let inner = try orExpression()
            guard next == ")" else { throw Failure(description: "a \"(\" in the condition is not closed") }
            position += 1
            return inner
        }
        let lowered = token.lowercased()
        if lowered == "1" || lowered == "any" || lowered == "all" {
            guard next?.lowercased() == "of", position + 1 < tokens.count else {
                throw Failure(description: "\"\(token)\" must be followed by \"of <search pattern>\" or \"of them\"")
            }
            let target = tokens[position + 1]
            position += 2
            let matched = try searches(matching: target)
            let parts = matched.map(SigmaCondition.search)
            if parts.count == 1 { return parts[0] }
            return lowered == "all" ? .and(parts) : .or(parts)
        }
        if let reserved = ["and", "or", "not", "of", ")"].first(where: { $0 == lowered }) {
            throw Failure(description: "unexpected \"\(reserved)\" where a search was expected")
        }
        guard let index = names.firstIndex(of: token) else {
            throw Failure(
                description: "the condition names \"\(token)\", which is not a search of this rule "
                    + "(searches: \(names.joined(separator: ", ")))")
        }
        return .search(index)
    }

    /// The searches `them` or a wildcard pattern names.
    private func searches(matching target: String) throws(Failure) -> [Int] {
        if target.lowercased() == "them" {
            let indices = names.indices.filter { !names[$0].hasPrefix("_") }
            guard !indices.isEmpty else { throw Failure(description: "\"of them\" names no search") }
            return indices
        }
        let pattern = SigmaPattern(target, cased: true)
        let indices = names.indices.filter { pattern.matches(Array(names[$0].utf8)) }
        guard !indices.isEmpty else {
            throw Failure(
                description: "\"of \(target)\" matches no search (searches: \(names.joined(separator: ", ")))")
        }
        return indices
    }
}
