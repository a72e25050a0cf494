/// What a scan with a state store found but did not emit, and what the store holds: the `state` object of
/// `keytrail.scan/1`.
public struct StateSummary: Sendable, Equatable {
    /// The store's file.
    public var path: String
    /// Files in the ledger after this run.
    public var filesInLedger: Int
    /// Keys with history after this run.
    public var keysInHistory: Int
    /// Findings found again that were already emitted and are still open (not emitted again).
    public var alreadyReported: Int
    /// Findings found again that a person suppressed.
    public var suppressed: Int

    /// Creates a summary.
    public init(path: String, filesInLedger: Int, keysInHistory: Int, alreadyReported: Int, suppressed: Int) {
        self.path = path
        self.filesInLedger = filesInLedger
        self.keysInHistory = keysInHistory
        self.alreadyReported = alreadyReported
        self.suppressed = suppressed
    }
}
