import TrailModel

/// Everything the key rules judge: the keys, what the data covers, the reference time and the configuration.
public struct KeyRuleContext: Sendable {
    public var keys: [KnownKey]
    public var coverage: Coverage
    /// The reference time (`--as-of`, else the newest event).
    public var asOf: Int64
    public var configuration: Configuration
    public var awsRanges: AWSIPRanges?

    public init(
        keys: [KnownKey], coverage: Coverage, asOf: Int64, configuration: Configuration, awsRanges: AWSIPRanges? = nil
    ) {
        self.keys = keys
        self.coverage = coverage
        self.asOf = asOf
        self.configuration = configuration
        self.awsRanges = awsRanges
    }

    var thresholds: Thresholds { configuration.thresholds }

    /// Days between two times, rounded down.
    static func days(from start: Int64, to end: Int64) -> Int { Int((end - start) / 86_400) }

    /// Notes on what the scanned data cannot show about the `days` before ``asOf``.
    func coverageNotes(days: Int) -> [JSONValue] {
        var notes: [JSONValue] = []
        let windowStart = asOf - Int64(days) * 86_400
        if let first = coverage.firstEvent, first > windowStart {
            notes.append(
                .string(
                    "the logs start \(Timestamp.formatDate(first)), after the start of the \(days)-day window "
                        + "(\(Timestamp.formatDate(windowStart))); uses before that are not in the scanned data"))
        }
        if coverage.events > 0 && coverage.regions["us-east-1"] == nil {
            notes.append(
                .string(
                    "no us-east-1 events were scanned; global IAM and STS calls are recorded there, so some uses may be "
                        + "missing"))
        }
        return notes
    }

    /// A finding of key rule `rule` about `key`, with the rule's metadata and the configured severity.
    func finding(
        _ rule: String, key: KnownKey, severity: Severity? = nil, title: String, evidence: [JSONValue.Member],
        remediation: String? = nil, subject: String? = nil
    ) -> Finding {
        let descriptor = RuleCatalog.descriptor(rule)!
        let chosen = configuration.severity(for: rule, chosen: severity ?? descriptor.severity)
        return Finding(
            id: Finding.stableID([rule, subject ?? key.accessKeyId ?? key.label]), rule: rule, severity: chosen,
            title: title, accessKeyId: key.accessKeyId, principal: key.principal,
            accountId: key.activity?.principal.accountId ?? key.principal?.accountId,
            firstSeen: key.activity?.firstSeen, lastSeen: key.activity?.lastSeen, evidence: .object(evidence),
            eventIds: [], eventCount: key.activity?.events ?? 0, remediation: remediation ?? descriptor.remediation,
            references: descriptor.references, attack: descriptor.attack)
    }
}
