import Foundation

/// Prints how long each phase of a run took to stderr when `KEYTRAIL_PROFILE` is set: a diagnostic for
/// performance work, silent otherwise.
public struct PhaseTimer: Sendable {
    private let enabled: Bool
    private var last: Date

    /// Starts timing now.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        enabled = environment["KEYTRAIL_PROFILE"] != nil
        last = Date()
    }

    /// Reports the time since the previous mark under `phase`.
    public mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        let milliseconds = Int(now.timeIntervalSince(last) * 1_000)
        FileHandle.standardError.write(Data("keytrail: \(phase): \(milliseconds) ms\n".utf8))
        last = now
    }
}
