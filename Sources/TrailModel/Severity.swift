/// How urgently a finding needs attention; users route and fail builds by it (`--fail-on`).
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    /// The rank, `info` lowest.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// One step more severe (critical stays critical).
    public var raised: Severity { Self.allCases[min(rank + 1, Self.allCases.count - 1)] }
}
