import TrailModel

/// A cheap test that a record must pass for a rule tested on every record to match: a literal that an extracted
/// field must contain, taken from a test the condition requires (a regex's required literal, a string value).
/// Checked before anything else, so such a rule costs a `memchr` scan of one field on most records.
struct SigmaGate: Sendable, Equatable {
    let field: EventField
    let literal: [UInt8]
    /// Compare ASCII letters without case.
    let fold: Bool

    /// Whether the record may match (false only when it certainly cannot).
    func admits(_ event: borrowing EventView) -> Bool {
        guard let bytes = event.bytes(field) else { return false }
        // Lowercasing non-ASCII text can produce ASCII letters (the Kelvin sign): let the rule decide.
        if fold && !SigmaPattern.isASCII(bytes) { return true }
        return SigmaPattern.find(literal, in: bytes, fold: fold)
    }
}

extension SigmaCondition {
    /// A gate every match passes, from a search the condition requires.
    func gate(_ searches: [SigmaSearch]) -> SigmaGate? {
        switch self {
        case .search(let index): return searches[index].gate
        case .and(let parts): return parts.lazy.compactMap { $0.gate(searches) }.first
        case .or, .not: return nil
        }
    }
}

extension SigmaSearch {
    var gate: SigmaGate? {
        guard case .allOf(let tests) = self else { return nil }
        return tests.lazy.compactMap(\.gate).first
    }
}

extension SigmaFieldTest {
    var gate: SigmaGate? {
        guard case .field(let field) = path, case .values(let matchers, false) = check, matchers.count == 1 else {
            return nil
        }
        switch matchers[0] {
        case .regex(let regex):
            guard let literal = regex.requiredLiteral, !literal.isEmpty else { return nil }
            return SigmaGate(field: field, literal: literal, fold: regex.flags.contains("i"))
        case .text(let pattern):
            guard pattern.kind != .glob, !pattern.literal.isEmpty, pattern.literal.allSatisfy({ $0 < 0x80 }) else {
                return nil
            }
            return SigmaGate(field: field, literal: pattern.literal, fold: !pattern.cased)
        default:
            return nil
        }
    }
}
