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
    public static func run(
        _ arguments: [String], input: [UInt8]? = nil, environment: [String: String] = [:],
        currentDirectory: String = Fixtures.packageRoot
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
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
        // Read both pipes concurrently so a full pipe cannot block the child.
        let errorData = Mutex(Data())
        let errorDone = DispatchSemaphore(value: 0)
        let errorReader = Thread {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorDone.signal()
        }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorDone.wait()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
    }
}
