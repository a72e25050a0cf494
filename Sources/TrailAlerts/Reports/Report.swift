import TrailModel

/// What a cron report says: what the data covers, what was found, which keys are riskiest and how they were used.
/// Built by the engine from a scan or from the state store; rendered by ``MarkdownReportRenderer``,
/// ``HTMLReportRenderer`` and ``JSONReportRenderer``.
public struct Report: Sendable {
    /// What the data covers.
    public struct Coverage: Sendable {
        public var firstEvent: Int64?
        public var lastEvent: Int64?
        /// Events per account and per region.
        public var accounts: [String: Int]
        public var regions: [String: Int]
        public var files: Int
        public var records: Int

        public init(
            firstEvent: Int64?, lastEvent: Int64?, accounts: [String: Int], regions: [String: Int], files: Int,
            records: Int
        ) {
            self.firstEvent = firstEvent
            self.lastEvent = lastEvent
            self.accounts = accounts
            self.regions = regions
            self.files = files
            self.records = records
        }
    }

    /// A key the findings point at, ranked by how bad its findings are.
    public struct RiskyKey: Sendable {
        public var accessKeyId: String
        public var owner: String
        public var kind: AccessKeyKind
        public var activity: KeyActivity?
        public var findings: [Finding]
        /// Critical 100, high 30, medium 10, low 3, info 1, summed over its findings.
        public var score: Int
        /// The most severe finding's remediation.
        public var fix: String

        /// The key's age in days: from its creation when a finding knows it (`created` in the evidence), else at
        /// least the days since it was first seen (then `isLowerBound`).
        public func age(asOf: Int64) -> (days: Int, isLowerBound: Bool)? {
            for finding in findings {
                if let created = finding.evidence["created"]?.stringValue.flatMap({ Timestamp.parse($0) }) {
                    return (Int((asOf - created) / 86_400), false)
                }
            }
            guard let first = activity?.firstSeen else { return nil }
            return (Int((asOf - first) / 86_400), true)
        }

        /// The age as a table shows it: `412 days`, `≥ 27 days`, or `—`.
        public func ageText(asOf: Int64) -> String {
            guard let age = age(asOf: asOf) else { return "—" }
            return (age.isLowerBound ? "≥ " : "") + "\(age.days) days"
        }
    }

    /// When the report was made.
    public var generatedAt: Int64
    /// The reference time of the findings.
    public var asOf: Int64
    /// Where it comes from: `state store /var/lib/keytrail/state.db`, `scan of SampleLogs`.
    public var source: String
    public var coverage: Coverage
    /// Findings to act on, most severe first.
    public var findings: [Finding]
    /// Findings a person suppressed (counted, not listed).
    public var suppressed: Int
    /// Every key's activity.
    public var keys: [KeyActivity]

    /// How many risky keys the table lists.
    public static let riskyKeyLimit = 25
    /// Days of daily activity charted per key, ending at ``asOf``.
    public static let chartDays = 90

    public init(
        generatedAt: Int64, asOf: Int64, source: String, coverage: Coverage, findings: [Finding], suppressed: Int,
        keys: [KeyActivity]
    ) {
        self.generatedAt = generatedAt
        self.asOf = asOf
        self.source = source
        self.coverage = coverage
        self.findings = findings
        self.suppressed = suppressed
        self.keys = keys
    }

    /// Findings per severity, most severe first, only severities present.
    public var severityCounts: [(Severity, Int)] {
        Severity.allCases.reversed().compactMap { severity in
            let count = findings.filter { $0.severity == severity }.count
            return count > 0 ? (severity, count) : nil
        }
    }

    /// Findings per rule with the rule's highest severity: most severe, then most frequent, then by id.
    public var ruleCounts: [(rule: String, severity: Severity, count: Int)] {
        var rows: [String: (Severity, Int)] = [:]
        for finding in findings {
            let row = rows[finding.rule] ?? (finding.severity, 0)
            rows[finding.rule] = (max(row.0, finding.severity), row.1 + 1)
        }
        return rows.map { (rule: $0.key, severity: $0.value.0, count: $0.value.1) }.sorted {
            ($0.severity, $0.count, $1.rule) > ($1.severity, $1.count, $0.rule)
        }
    }

    /// Keys with findings, riskiest first (at most ``riskyKeyLimit``).
    public var riskyKeys: [RiskyKey] {
        let activity = Dictionary(keys.map { ($0.accessKeyID.value, $0) }, uniquingKeysWith: { a, _ in a })
        var byKey: [String: [Finding]] = [:]
        for finding in findings { if let key = finding.accessKeyId { byKey[key, default: []].append(finding) } }
        let ranked = byKey.map { id, found -> RiskyKey in
            let sorted = found.sorted { ($0.severity, $1.rule) > ($1.severity, $0.rule) }
            let principal = sorted.compactMap(\.principal).first ?? activity[id]?.principal
            return RiskyKey(
                accessKeyId: id, owner: principal?.displayName ?? "unknown", kind: AccessKeyID(id).kind,
                activity: activity[id], findings: sorted, score: found.reduce(0) { $0 + Self.weight($1.severity) },
                fix: sorted.first?.remediation ?? "")
        }
        return Array(
            ranked.sorted {
                ($0.score, $0.activity?.lastSeen ?? 0, $1.accessKeyId) > (
                    $1.score, $1.activity?.lastSeen ?? 0, $0.accessKeyId
                )
            }.prefix(Self.riskyKeyLimit))
    }

    static func weight(_ severity: Severity) -> Int {
        switch severity {
        case .critical: return 100
        case .high: return 30
        case .medium: return 10
        case .low: return 3
        case .info: return 1
        }
    }

    /// A key's events per day over the ``chartDays`` days ending at ``asOf`` (oldest first).
    public func dailySeries(_ activity: KeyActivity?) -> [(day: Int32, count: Int)] {
        let last = Int32(asOf / 86_400)
        let first = last - Int32(Self.chartDays) + 1
        var counts = [Int](repeating: 0, count: Self.chartDays)
        for day in activity?.dailyEvents.days ?? [] where day.day >= first && day.day <= last {
            counts[Int(day.day - first)] += day.count
        }
        return counts.enumerated().map { (first + Int32($0.offset), $0.element) }
    }
}
