import TrailModel

/// One `field|modifiers: values` entry of a Sigma search: the field and what its value must be.
public struct SigmaFieldTest: Sendable, Equatable {
    /// What the entry checks.
    public enum Check: Sendable, Equatable {
        /// One of the values matches (all of them with `all`); `null` among them matches a missing field.
        case values([SigmaValueMatcher], all: Bool)
        /// `exists: true|false`.
        case exists(Bool)
        /// `fieldref`: equal to (or, with a string modifier, containing, starting or ending with) another field's
        /// value, case-insensitively.
        case fieldref([SigmaFieldPath], SigmaPattern.Kind, all: Bool)
    }

    public let path: SigmaFieldPath
    public let check: Check

    public init(path: SigmaFieldPath, check: Check) {
        self.path = path
        self.check = check
    }

    /// Every field the test reads.
    public var paths: [SigmaFieldPath] {
        if case .fieldref(let others, _, _) = check { return [path] + others }
        return [path]
    }

    /// Whether the record passes.
    func matches(_ event: inout SigmaEvent) -> Bool {
        switch check {
        case .values(let matchers, let all):
            if case .field(let field) = path {
                // The common case, on every indexed candidate: an extracted string, compared in place.
                // Loops, not closures: a closure held in a variable would allocate its context on every record.
                guard let bytes = event.view.bytes(field) else {
                    if all { return matchers.allSatisfy { $0 == .null } }
                    return matchers.contains { $0 == .null }
                }
                if all {
                    for matcher in matchers where !matcher.matches(.string, bytes) { return false }
                    return true
                }
                for matcher in matchers where matcher.matches(.string, bytes) { return true }
                return false
            }
            if all {
                return matchers.allSatisfy { matcher in Self.matches(matcher, path, &event) }
            }
            return matchers.contains { matcher in Self.matches(matcher, path, &event) }
        case .exists(let wanted):
            let present = event.anyValue(path) { kind, _ in kind != .null }
            return present == wanted
        case .fieldref(let others, let kind, let all):
            let test: (SigmaFieldPath) -> Bool = { other in
                let references = event.values(other).filter { $0.kind != .null }.map { SigmaPattern.lowercase($0.text) }
                guard !references.isEmpty else { return false }
                return event.anyValue(self.path) { valueKind, text in
                    guard valueKind != .null else { return false }
                    let folded = SigmaPattern.lowercase(Array(text))
                    return references.contains { Self.compare(folded, $0, kind) }
                }
            }
            return all ? others.allSatisfy(test) : others.contains(where: test)
        }
    }

    private static func matches(
        _ matcher: SigmaValueMatcher, _ path: SigmaFieldPath, _ event: inout SigmaEvent
    )
        -> Bool
    {
        if case .null = matcher {
            var sawValue = false
            let isNull = event.anyValue(path) { kind, _ in
                sawValue = true
                return kind == .null
            }
            return isNull || !sawValue
        }
        return event.anyValue(path) { kind, text in matcher.matches(kind, text) }
    }

    private static func compare(_ value: [UInt8], _ reference: [UInt8], _ kind: SigmaPattern.Kind) -> Bool {
        switch kind {
        case .prefix: return value.starts(with: reference)
        case .suffix: return value.count >= reference.count && value.suffix(reference.count).elementsEqual(reference)
        case .contains:
            return reference.isEmpty
                || value.withUnsafeBufferPointer { SigmaPattern.find(reference, in: $0, fold: false) }
        case .exact, .glob: return value == reference
        }
    }
}
