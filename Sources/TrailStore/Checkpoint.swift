import TrailAnalysis
import TrailModel

/// What a run learned from some files, committed to the store in one transaction with the files' ledger rows.
public struct Checkpoint: Sendable {
    /// One file read (wholly or in part).
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int64?
        public var modificationTime: Int64?
        public var records: Int
        public var invalidRecords: Int
        /// Why the file was not read completely, if it was not.
        public var error: String?
        /// The S3 object's ETag, for inputs read from S3.
        public var etag: String?

        public init(
            path: String, size: Int64?, modificationTime: Int64?, records: Int, invalidRecords: Int, error: String?,
            etag: String? = nil
        ) {
            self.path = path
            self.size = size
            self.modificationTime = modificationTime
            self.records = records
            self.invalidRecords = invalidRecords
            self.error = error
            self.etag = etag
        }
    }

    public var files: [File]
    public var lifecycle: [KeyLifecycleEvent]
    /// What these files cover (added to the stored coverage).
    public var coverage: Coverage
    /// Findings to stage in the alert ledger: new, escalated or due again become pending until delivered.
    public var findings: [Finding]
    /// Re-emit an open finding after this many seconds; nil for never.
    public var realertAfter: Int64?

    public init(
        files: [File] = [], lifecycle: [KeyLifecycleEvent] = [],
        coverage: Coverage = Coverage(),
        findings: [Finding] = [], realertAfter: Int64? = nil
    ) {
        self.files = files
        self.lifecycle = lifecycle
        self.coverage = coverage
        self.findings = findings
        self.realertAfter = realertAfter
    }
}
