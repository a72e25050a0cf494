import TrailIngest
import TrailModel

/// What a scan read, skipped and could not read: the `stats` of `keytrail.scan/1`.
public struct ScanStats: Sendable, Equatable {
    /// One input that could not be read, or not completely.
    public struct FileError: Sendable, Equatable, Comparable {
        /// The path as given or found.
        public var path: String
        /// What went wrong, and where.
        public var message: String

        public static func < (lhs: FileError, rhs: FileError) -> Bool {
            (lhs.path, lhs.message) < (rhs.path, rhs.message)
        }
    }

    /// Event files read (wholly or in part).
    public var files = 0
    /// Digest and Insights files set aside.
    public var skippedFiles = 0
    /// Files pruned by `--since`/`--until` from their path, never opened.
    public var prunedFiles = 0
    /// Files in walked folders that are not logs by name, and other non-regular files.
    public var ignoredFiles = 0
    /// Records read, valid or not.
    public var records = 0
    /// Records skipped as invalid (missing eventTime or eventName, bad bytes, …); each file's reasons are in errors.
    public var invalidRecords = 0
    /// Valid records without an access key (AWS service events, some console and anonymous calls).
    public var recordsWithoutAccessKey = 0
    /// Valid records outside `--since`/`--until`.
    public var recordsOutsideRange = 0
    /// With a state store: files skipped because an earlier run read them.
    public var alreadyProcessed = 0
    /// With a state store: files skipped because they changed since an earlier run read them.
    public var changedFiles = 0
    /// Bytes read as stored.
    public var bytesIn: Int64 = 0
    /// Bytes of JSON after decompression.
    public var bytesDecompressed: Int64 = 0
    /// Inputs that could not be read or not completely, sorted by path.
    public var errors: [FileError] = []
    /// The signal (SIGINT, SIGTERM) that stopped the run before it read every file, if one did.
    public var interruptedBy: Int32? = nil
    /// Files left unread because a signal stopped the run.
    public var filesNotRead = 0
    /// With `--max-memory`: the resident size at which the budget was passed and per-key detail began to be sampled.
    public var memoryBudgetPassedAt: Int64? = nil

    /// Creates zeroed stats.
    public init() {}

    /// Adds what reading one file produced.
    mutating func add(_ report: LogFileReader.Report) {
        let opened = !(report.summary.error?.kind == .cannotOpen)
        if opened { files += 1 }
        records += report.summary.records
        invalidRecords += report.summary.invalidRecords
        bytesIn += report.bytesIn
        bytesDecompressed += report.summary.bytesDecompressed
        if let error = report.summary.error {
            errors.append(FileError(path: report.file.displayPath, message: error.message))
        }
        for message in report.summary.problemMessages {
            errors.append(FileError(path: report.file.displayPath, message: message))
        }
    }

    /// Adds another worker's stats.
    mutating func merge(_ other: ScanStats) {
        files += other.files
        skippedFiles += other.skippedFiles
        prunedFiles += other.prunedFiles
        ignoredFiles += other.ignoredFiles
        records += other.records
        invalidRecords += other.invalidRecords
        recordsWithoutAccessKey += other.recordsWithoutAccessKey
        recordsOutsideRange += other.recordsOutsideRange
        alreadyProcessed += other.alreadyProcessed
        changedFiles += other.changedFiles
        bytesIn += other.bytesIn
        bytesDecompressed += other.bytesDecompressed
        errors += other.errors
        interruptedBy = interruptedBy ?? other.interruptedBy
        filesNotRead += other.filesNotRead
        memoryBudgetPassedAt = memoryBudgetPassedAt ?? other.memoryBudgetPassedAt
    }
}
