import Foundation

/// How `keytrail scan --state FILE` uses its state store.
public struct StateOptions: Sendable {
    /// The store's file.
    public var path: String
    /// Seconds to wait for another scan that holds the store.
    public var wait: TimeInterval
    /// Read files again whose size or modification time changed since they were read (adding them again).
    public var reprocessChanged: Bool
    /// Emit an open finding again when this many seconds have passed since it was last emitted; nil for never.
    public var realertAfter: Int64?
    /// Commit after roughly this many stored (compressed) bytes of input, so a long first run that is killed
    /// keeps what it finished.
    public var checkpointBytes: Int64

    /// The default checkpoint interval: 1 GiB of stored input.
    public static let defaultCheckpointBytes: Int64 = 1 << 30

    /// Creates options with the documented defaults.
    public init(
        path: String, wait: TimeInterval = 30, reprocessChanged: Bool = false, realertAfter: Int64? = nil,
        checkpointBytes: Int64 = StateOptions.defaultCheckpointBytes
    ) {
        self.path = path
        self.wait = wait
        self.reprocessChanged = reprocessChanged
        self.realertAfter = realertAfter
        self.checkpointBytes = max(1, checkpointBytes)
    }
}
