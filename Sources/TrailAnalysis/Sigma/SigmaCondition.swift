/// A Sigma rule's `condition`, compiled: search identifiers resolved to indices, `1 of X*` and `all of them`
/// expanded to the searches they name.
public indirect enum SigmaCondition: Sendable, Equatable {
    case search(Int)
    case not(SigmaCondition)
    case and([SigmaCondition])
    case or([SigmaCondition])

    /// Whether the condition holds, evaluating each search at most once (`results`: 0 unknown, 1 false, 2 true).
    func holds(
        _ searches: [SigmaSearch], _ event: inout SigmaEvent, _ results: UnsafeMutableBufferPointer<UInt8>
    ) -> Bool {
        switch self {
        case .search(let index):
            if results[index] == 0 { results[index] = searches[index].matches(&event) ? 2 : 1 }
            return results[index] == 2
        case .not(let inner):
            return !inner.holds(searches, &event, results)
        case .and(let parts):
            for part in parts where !part.holds(searches, &event, results) { return false }
            return true
        case .or(let parts):
            for part in parts where part.holds(searches, &event, results) { return true }
            return false
        }
    }

    /// The exact values `field` must take for the condition to hold, or nil when any value might do.
    func exactValues(of field: SigmaFieldPath, _ searches: [SigmaSearch]) -> Set<[UInt8]>? {
        switch self {
        case .search(let index): return searches[index].exactValues(of: field)
        case .not: return nil
        case .and(let parts):
            var result: Set<[UInt8]>?
            for part in parts {
                guard let values = part.exactValues(of: field, searches) else { continue }
                result = result.map { $0.intersection(values) } ?? values
            }
            return result
        case .or(let parts):
            var union: Set<[UInt8]> = []
            for part in parts {
                guard let values = part.exactValues(of: field, searches) else { return nil }
                union.formUnion(values)
            }
            return union
        }
    }

    /// The searches the condition uses without `not` in front, whose fields are the evidence of a match.
    func positiveSearches() -> [Int] {
        switch self {
        case .search(let index): return [index]
        case .not: return []
        case .and(let parts), .or(let parts): return parts.flatMap { $0.positiveSearches() }
        }
    }
}
