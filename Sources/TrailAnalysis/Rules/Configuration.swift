import TrailModel

/// How rules run: which, with which numbers, at which severity, and what is allowed.
public struct Configuration: Sendable, Equatable {
    /// A named set of defaults.
    public enum Profile: String, Sendable, CaseIterable {
        /// keytrail's defaults (AWS's best practices: 90 days).
        case standard
        /// The CIS AWS Foundations Benchmark's numbers (45 days unused).
        case cis
    }

    public var profile: Profile
    public var thresholds: Thresholds
    /// Rules that do not run.
    public var disabledRules: Set<String> = []
    /// Severities that replace a rule's own.
    public var severityOverrides: [String: Severity] = [:]
    /// Entries that suppress findings of every rule.
    public var allowlist: [AllowEntry] = []
    /// Entries that suppress findings of one rule.
    public var ruleAllowlists: [String: [AllowEntry]] = [:]
    /// Accounts that are trusted although they do not appear in the logs (`role-trust-external-account`).
    public var knownAccounts: Set<String> = []
    /// Sigma rules loaded with `--rules`, evaluated next to the built-in rules.
    public var sigma = SigmaRuleSet()

    /// The defaults of `profile`.
    public init(profile: Profile = .standard) {
        self.profile = profile
        self.thresholds = profile == .cis ? .cis : Thresholds()
    }

    /// The descriptor of a built-in or loaded Sigma rule.
    public func descriptor(_ id: String) -> RuleDescriptor? { RuleCatalog.descriptor(id) ?? sigma.descriptor(id) }

    /// Whether rule `id` runs.
    public func isEnabled(_ id: String) -> Bool { !disabledRules.contains(id) }

    /// The severity a finding of rule `id` gets, given the severity the rule chose.
    public func severity(for id: String, chosen: Severity) -> Severity { severityOverrides[id] ?? chosen }

    /// The allowlist entries that apply to rule `id`.
    public func allowEntries(for id: String) -> [AllowEntry] { allowlist + (ruleAllowlists[id] ?? []) }
}
