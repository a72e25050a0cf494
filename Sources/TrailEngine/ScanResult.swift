import TrailAnalysis
import TrailModel

/// Everything one scan produced: the `keytrail.scan/1` document before rendering.
public struct ScanResult: Sendable {
    /// The reference time: `--as-of`, else the newest event time in the data, else now.
    public var asOf: Int64
    /// Whether ``asOf`` came from the data (false: given, or the clock because there were no events).
    public var asOfFromData: Bool
    /// What was read, skipped and could not be read.
    public var stats: ScanStats
    /// Accounts, regions and time span of the data.
    public var coverage: Coverage
    /// Per-key activity, sorted by access key ID.
    public var keys: [KeyActivity]
    /// Examples of ignored files, for the text summary.
    public var ignoredExamples: [String]
    /// What the rules found, most severe first; with a state store, only what this run emits.
    public var findings: [Finding]
    /// With a state store: what the store holds and what it kept back.
    public var state: StateSummary? = nil

    /// Whether some input could not be read, or not completely (exit code 3).
    public var hasInputErrors: Bool { !stats.errors.isEmpty }

    /// Whether a finding is at or above `severity` (exit code 1 with `--fail-on`).
    public func hasFindings(atOrAbove severity: Severity) -> Bool { findings.contains { $0.severity >= severity } }
}
