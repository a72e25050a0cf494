/// The numbers rules compare against; every one can be set in the configuration file.
public struct Thresholds: Sendable, Equatable {
    /// `unused-access-key`: days without use (90; 45 with the CIS profile).
    public var unusedDays: Int = 90
    /// `unused-access-key`: a key created or rotated this recently is not yet unused.
    public var graceDays: Int = 7
    /// `access-key-not-rotated`: the largest age of an active key.
    public var rotationDays: Int = 90
    /// `long-term-key-many-networks`: distinct /24 or /48 networks in one day above which a key is flagged.
    public var networksPerDay: Int = 5
    /// `long-term-key-workload`: events below which a key is not judged (too little to show a pattern).
    public var workloadMinimumEvents: Int = 20
    /// `long-term-key-workload`: distinct /24 networks that count as "many".
    public var workloadNetworks: Int = 4
    /// `key-first-seen-from-new-network`: earlier active days (with networks) a key needs before a new network
    /// counts.
    public var newNetworkBaselineDays: Int = 7
    /// `access-denied-burst`: errors within the window.
    public var deniedBurstCount: Int = 20
    /// `access-denied-burst`: the window in seconds.
    public var deniedBurstSeconds: Int = 600
    /// `secrets-bulk-read`: distinct secrets read through GetSecretValue within the window.
    public var secretsDistinct: Int = 10
    /// `secrets-bulk-read`: BatchGetSecretValue calls within the window.
    public var secretsBatchCalls: Int = 3
    /// `secrets-bulk-read`: the window in seconds.
    public var secretsSeconds: Int = 600
    /// `access-key-used-after-deactivation`: seconds a deactivation may take to reach every region.
    public var deactivationGraceSeconds: Int = 120

    /// The defaults.
    public init() {}

    /// The CIS AWS Foundations Benchmark's numbers: unused after 45 days.
    public static var cis: Thresholds {
        var thresholds = Thresholds()
        thresholds.unusedDays = 45
        return thresholds
    }
}
