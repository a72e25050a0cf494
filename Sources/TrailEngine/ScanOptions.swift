import Foundation
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

    /// Creates options with the documented defaults.
    public init(
        paths: [String], timeRange: TimeRange = TimeRange(), jobs: Int = ScanOptions.defaultJobs,
        limits: ScanLimits = .default, valueCap: Int = KeyActivity.defaultValueCap
    ) {
        self.paths = paths
        self.timeRange = timeRange
        self.jobs = max(1, jobs)
        self.limits = limits
        self.valueCap = valueCap
    }

    /// The number of cores this process may use.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
