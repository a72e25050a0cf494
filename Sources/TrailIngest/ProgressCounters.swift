import Synchronization

/// Counters that workers bump as they read, for a live progress line; relaxed atomics, updated per chunk.
public final class ProgressCounters: Sendable {
    private let bytes = Atomic<Int>(0)
    private let files = Atomic<Int>(0)
    private let records = Atomic<Int>(0)
    private let plannedFiles = Atomic<Int>(0)
    private let plannedBytes = Atomic<Int>(0)

    /// Creates zeroed counters.
    public init() {}

    /// Adds bytes read from inputs (as stored, compressed).
    public func addBytesRead(_ count: Int) { bytes.wrappingAdd(count, ordering: .relaxed) }
    /// Adds finished files and the records they held.
    public func addFileDone(records: Int) {
        files.wrappingAdd(1, ordering: .relaxed)
        self.records.wrappingAdd(records, ordering: .relaxed)
    }

    /// Records what the scan is about to read, for an ETA.
    public func setPlan(files: Int, bytes: Int64) {
        plannedFiles.store(files, ordering: .relaxed)
        plannedBytes.store(Int(bytes), ordering: .relaxed)
    }

    /// Files the scan will read.
    public var totalFiles: Int { plannedFiles.load(ordering: .relaxed) }
    /// Their total size as stored, where known.
    public var totalBytes: Int { plannedBytes.load(ordering: .relaxed) }

    /// Bytes read so far.
    public var bytesRead: Int { bytes.load(ordering: .relaxed) }
    /// Files finished so far.
    public var filesDone: Int { files.load(ordering: .relaxed) }
    /// Records read from finished files so far.
    public var recordsRead: Int { records.load(ordering: .relaxed) }
}
