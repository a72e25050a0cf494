import Foundation
import TrailAnalysis
import TrailIngest
import TrailModel

/// What `keytrail scan` reads and how.
public struct ScanOptions: Sendable {
    /// Files, folders, FIFOs, or `-` for stdin.
    public var paths: [String]
    /// Events outside this range are not counted; files outside it by path are not opened.
    public var timeRange: TimeRange
    /// Worker threads; default: every core.
    public var jobs: Int
    /// Record and file caps, chunk sizes.
    public var limits: ScanLimits
    /// The cap on distinct source IPs, user agents and regions kept exactly per key.
    public var valueCap: Int
    /// Which rules run, with which thresholds, severities and allowlists.
    public var configuration: Configuration
    /// The keys the account has (credential report, list-access-keys), for the key rules.
    public var inventory: KeyInventory
    /// AWS's address ranges, for telling calls from AWS compute.
    public var awsRanges: AWSIPRanges?
    /// `--max-memory`: past this resident size, per-key detail is sampled instead of kept (see ``MemoryBudget``).
    public var maxMemoryBytes: Int64?

    /// Creates options with the documented defaults.
    public init(
        paths: [String], timeRange: TimeRange = TimeRange(), jobs: Int = ScanOptions.defaultJobs,
        limits: ScanLimits = .default, valueCap: Int = KeyActivity.defaultValueCap,
        configuration: Configuration = Configuration(), inventory: KeyInventory = KeyInventory(),
        awsRanges: AWSIPRanges? = nil, maxMemoryBytes: Int64? = nil
    ) {
        self.paths = paths
        self.timeRange = timeRange
        self.jobs = max(1, jobs)
        self.limits = limits
        self.valueCap = valueCap
        self.configuration = configuration
        self.inventory = inventory
        self.awsRanges = awsRanges
        self.maxMemoryBytes = maxMemoryBytes
    }

    /// The limits the scanner runs with: ``limits``, keeping raw records when a loaded Sigma rule reads fields
    /// the scanner does not extract.
    public var effectiveLimits: ScanLimits {
        var limits = self.limits
        if configuration.sigma.needsRawRecords { limits.keepsRawRecords = true }
        return limits
    }

    /// The number of cores this process may use.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
