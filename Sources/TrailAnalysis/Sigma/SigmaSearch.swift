/// A named search of a Sigma rule's `detection`: a map (every entry holds), a list of maps (one of them holds), or
/// keywords (values searched for anywhere in the record's JSON).
public enum SigmaSearch: Sendable, Equatable {
    case allOf([SigmaFieldTest])
    case anyOf([[SigmaFieldTest]])
    /// One of the values (all of them with `all`) occurs in the record's raw JSON text.
    case keywords([SigmaValueMatcher], all: Bool)

    /// Every field the search reads.
    public var paths: [SigmaFieldPath] {
        switch self {
        case .allOf(let tests): return tests.flatMap(\.paths)
        case .anyOf(let maps): return maps.flatMap { $0.flatMap(\.paths) }
        case .keywords: return []
        }
    }

    /// Whether it needs the record's raw JSON kept.
    public var needsRawRecord: Bool {
        if case .keywords = self { return true }
        return paths.contains(where: \.needsRawRecord)
    }

    /// Whether the record matches.
    func matches(_ event: inout SigmaEvent) -> Bool {
        switch self {
        case .allOf(let tests):
            for test in tests where !test.matches(&event) { return false }
            return true
        case .anyOf(let maps):
            for tests in maps where tests.allSatisfy({ $0.matches(&event) }) { return true }
            return false
        case .keywords(let matchers, let all):
            guard let text = event.rawText else { return false }
            return all
                ? matchers.allSatisfy { $0.matches(.json, text) } : matchers.contains { $0.matches(.json, text) }
        }
    }

    /// The exact values (lowercased) one field must have for the search to hold, or nil when the search does not
    /// pin the field to a list of exact values; used to index rules by `eventName` and `eventSource`.
    func exactValues(of field: SigmaFieldPath) -> Set<[UInt8]>? {
        switch self {
        case .allOf(let tests): return Self.exactValues(tests, field)
        case .anyOf(let maps):
            var union: Set<[UInt8]> = []
            for tests in maps {
                guard let values = Self.exactValues(tests, field) else { return nil }
                union.formUnion(values)
            }
            return union
        case .keywords: return nil
        }
    }

    private static func exactValues(_ tests: [SigmaFieldTest], _ field: SigmaFieldPath) -> Set<[UInt8]>? {
        var result: Set<[UInt8]>?
        for test in tests where test.path == field {
            guard case .values(let matchers, let all) = test.check, !all else { continue }
            var values: Set<[UInt8]> = []
            for matcher in matchers {
                guard case .text(let pattern) = matcher, pattern.kind == .exact else {
                    values = []
                    break
                }
                // The index folds case; a cased rule is then tested exactly.
                values.insert(pattern.cased ? SigmaPattern.lowercase(pattern.literal) : pattern.literal)
            }
            guard !values.isEmpty || matchers.isEmpty else { continue }
            result = result.map { $0.intersection(values) } ?? values
        }
        return result
    }
}
