import Foundation
import Synchronization

/// Runs the built `keytrail` executable, as users and cron jobs do.
public enum CommandRunner {
    /// What a run printed and how it exited.
    public struct Outcome: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The `keytrail` binary beside the test bundle (both are built into the same folder by `swift test`).
    public static var executable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("keytrail").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Fixtures.packageRoot + "/.build/debug/keytrail"
    }

    /// Runs `keytrail arguments…`, feeding `input` on stdin.
    /// - Parameter wrapper: a command that runs keytrail, such as `["/usr/bin/time", "-f", "%M", "-o", path]` or
    ///   `setpriv` to drop privileges; keytrail's path and arguments follow it.
    public static func run(
        _ arguments: [String], input: [UInt8]? = nil, environment: [String: String] = [:],
        currentDirectory: String = Fixtures.packageRoot, wrapper: [String] = []
    ) throws -> Outcome {
        try start(
            arguments, input: input, environment: environment, currentDirectory: currentDirectory, wrapper: wrapper
        ).wait()
    }

    /// Starts `keytrail arguments…` without waiting for it, so a test can signal it.
    public static func start(
        _ arguments: [String], input: [UInt8]? = nil, environment: [String: String] = [:],
        currentDirectory: String = Fixtures.packageRoot, wrapper: [String] = []
    ) throws -> Running {
        let process = Process()
        let command = wrapper + [executable] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        var processEnvironment = ProcessInfo.processInfo.environment
        for (name, value) in environment { processEnvironment[name] = value }
        process.environment = processEnvironment
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        let feeder = Thread {
            if let input { stdin.fileHandleForWriting.write(Data(input)) }
            try? stdin.fileHandleForWriting.close()
        }
        feeder.start()
        return Running(process: process, output: output, error: error)
    }

    /// A keytrail process that is running.
    public final class Running: @unchecked Sendable {
        private let process: Process
        private let outputData = Mutex(Data())
        private let errorData = Mutex(Data())
        private let readersDone = DispatchGroup()

        init(process: Process, output: Pipe, error: Pipe) {
            self.process = process
            // Read both pipes concurrently from the start so a full pipe cannot block the child.
            drain(output) { [self] data in outputData.withLock { $0 = data } }
            drain(error) { [self] data in errorData.withLock { $0 = data } }
        }

        /// Reads `pipe` to its end on a thread of its own and hands the bytes to `keep`.
        private func drain(_ pipe: Pipe, _ keep: @escaping @Sendable (Data) -> Void) {
            readersDone.enter()
            Thread { [readersDone] in
                keep(pipe.fileHandleForReading.readDataToEndOfFile())
                readersDone.leave()
            }.start()
        }

        /// The process id, for `kill(2)`.
        public var pid: Int32 { process.processIdentifier }

        /// Sends `signal` to the process.
        public func send(_ signalNumber: Int32) { kill(process.processIdentifier, signalNumber) }

        /// Waits for the process to exit and returns what it printed.
        public func wait() -> Outcome {
            process.waitUntilExit()
            readersDone.wait()
            return Outcome(
                status: process.terminationStatus,
                standardOutput: String(decoding: outputData.withLock { $0 }, as: UTF8.self),
                standardError: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
        }
    }

    /// Whether this build runs under AddressSanitizer (`swift test --sanitize=address`), whose shadow memory and
    /// quarantine make resident sizes meaningless for memory bounds.
    public static var isAddressSanitized: Bool { dlsym(nil, "__asan_init") != nil }

    /// Runs `keytrail arguments…` under GNU time and returns its peak resident memory in KiB with the outcome.
    public static func runMeasuringMemory(_ arguments: [String]) throws -> (outcome: Outcome, peakKiB: Int) {
        let report = Fixtures.temporaryFolder("keytrail-time") + "/peak"
        let outcome = try run(arguments, wrapper: ["/usr/bin/time", "-f", "%M", "-o", report])
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        // GNU time writes "Command exited with non-zero status N" before the number when the status is not 0.
        let peak = text.split(whereSeparator: \.isNewline).last.flatMap { Int($0) } ?? -1
        return (outcome, peak)
    }
}
