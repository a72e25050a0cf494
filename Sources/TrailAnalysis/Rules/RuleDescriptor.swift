import TrailModel

/// What a rule is: its stable id, default severity, what it checks and what to do about its findings.
public struct RuleDescriptor: Sendable, Equatable {
    /// How a rule looks at the data.
    public enum Kind: String, Sendable {
        /// Over each key's merged activity, the inventory and key lifecycle events.
        case key
        /// Over one record at a time, with its request parameters.
        case event
        /// Over a principal's records within a time window.
        case window
        /// A Sigma rule loaded with `--rules`, over single records (or, for a correlation rule, over their matches
        /// in a time window).
        case sigma
    }

    /// The stable id users suppress and route by.
    public let id: String
    public let kind: Kind
    /// The default severity; some findings are raised or lowered by what they show.
    public let severity: Severity
    /// One sentence: what the rule checks.
    public let summary: String
    /// What to do about a finding.
    public let remediation: String
    public let references: [String]
    /// MITRE ATT&CK technique ids.
    public let attack: [String]
    /// Whether the rule needs a state store's history (`scan --state`); without one it does not run.
    public var requiresState = false
}
