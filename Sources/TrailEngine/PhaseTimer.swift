import Foundation

/// Prints how long each phase of a run took to stderr when `KEYTRAIL_PROFILE` is set: a diagnostic for
/// performance work, silent otherwise.
public struct PhaseTimer: Sendable {
    private let enabled: Bool
    private var last: Date
    private var lastCPU: Double

    /// Starts timing now.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        enabled = environment["KEYTRAIL_PROFILE"] != nil
        last = Date()
        lastCPU = Self.processCPUSeconds()
    }

    /// Reports the time since the previous mark under `phase`.
    public mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        let cpu = Self.processCPUSeconds()
        let milliseconds = Int(now.timeIntervalSince(last) * 1_000)
        let cpuMilliseconds = Int((cpu - lastCPU) * 1_000)
        FileHandle.standardError.write(
            Data("keytrail: \(phase): \(milliseconds) ms (cpu \(cpuMilliseconds) ms)\n".utf8))
        last = now
        lastCPU = cpu
    }

    /// CPU time of all the process's threads so far: with the wall time, shows how well a phase used the cores.
    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
