import Foundation
import Synchronization
import TrailIngest

/// A live progress line on stderr while a scan runs: files, throughput, records, ETA.
///
/// It redraws the line a few times a second from ``ProgressCounters`` that the workers bump, and clears it when
/// stopped, so the line never mixes with results (which go to stdout or a file).
public final class ProgressReporter: Sendable {
    private let counters: ProgressCounters
    private let running = Atomic<Bool>(false)
    private let finished = Mutex<Bool>(false)
    private let interval: Double

    /// Creates a reporter over `counters`.
    public init(counters: ProgressCounters, interval: Double = 0.25) {
        self.counters = counters
        self.interval = interval
    }

    /// Whether stderr is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Starts redrawing on a background thread.
    public func start() {
        running.store(true, ordering: .relaxed)
        let start = Date()
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval)
                guard running.load(ordering: .relaxed) else { break }
                draw(elapsed: Date().timeIntervalSince(start))
            }
            finished.withLock { $0 = true }
        }
        thread.name = "keytrail-progress"
        thread.start()
    }

    /// Stops and clears the line.
    public func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.01) }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    /// The text of the line.
    static func line(
        filesDone: Int, totalFiles: Int, bytesRead: Int, totalBytes: Int, records: Int, elapsed: Double
    ) -> String {
        let rate = elapsed > 0 ? Double(bytesRead) / elapsed : 0
        var text = "keytrail: \(TextFormat.count(filesDone))/\(TextFormat.count(totalFiles)) files"
        text += " · \(TextFormat.bytes(Int64(rate)))/s · \(TextFormat.count(records)) records"
        if totalBytes > 0 && rate > 0 && bytesRead < totalBytes {
            let seconds = Int(Double(totalBytes - bytesRead) / rate)
            text += " · ETA \(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
        }
        return text
    }

    private func draw(elapsed: Double) {
        let text = Self.line(
            filesDone: counters.filesDone, totalFiles: counters.totalFiles, bytesRead: counters.bytesRead,
            totalBytes: counters.totalBytes, records: counters.recordsRead, elapsed: elapsed)
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
    }
}
