import TrailModel

/// Reads one input end to end: opens it, decompresses it if it is gzip, scans its records.
///
/// A reader owns a ``RecordScanner`` and reuses it for every file it reads; each worker has its own.
public final class LogFileReader {
    private let limits: ScanLimits
    private let scanner: RecordScanner
    private let wholeFiles: WholeGzipDecoder
    private let progress: ProgressCounters?
    private let cores: CoreBudget?

    /// Files that decompress to at most this size (and are stored in at most a quarter of it) are decompressed whole
    /// (``WholeGzipDecoder``: ISA-L, else libdeflate); larger ones, stdin and FIFOs are streamed through
    /// ``GzipStream`` (ISA-L or libdeflate a member at a time, zlib where they decline).
    public static let wholeFileLimit = 32 << 20

    /// Creates a reader.
    /// - Parameters:
    ///   - limits: record and file caps, chunk sizes.
    ///   - progress: counters to report bytes and files to, for a live progress line.
    ///   - cores: spare cores, shared with the run's other workers: a streamed input (stdin, a FIFO, a file too large
    ///     to read whole) is decompressed on a thread of its own beside its scan whenever this has one
    ///     (``ReadAheadSource``, which reads in whole chunks either way, so a run's counts do not depend on its
    ///     cores). Nil reads every input on the calling thread straight from the decompressor (tests, tools).
    public init(limits: ScanLimits = .default, progress: ProgressCounters? = nil, cores: CoreBudget? = nil) {
        self.limits = limits
        self.cores = cores
        self.scanner = RecordScanner(limits: limits)
        self.wholeFiles = WholeGzipDecoder(limit: min(Self.wholeFileLimit, Int(limits.maxDecompressedBytes)))
        self.progress = progress
    }

    /// Called with the raw bytes of each record's access key ID as soon as the scanner meets them, before the record
    /// is complete (``RecordScanner/keyHint``).
    public var keyHint: KeyHint? {
        get { scanner.keyHint }
        set { scanner.keyHint = newValue }
    }

    /// What reading one input produced besides its events.
    public struct Report: Sendable {
        /// The input.
        public var file: InputFile
        /// Bytes read as stored.
        public var bytesIn: Int64
        /// Whether the input was gzip.
        public var wasGzip: Bool
        /// Records, problems, decompressed bytes and the error that stopped the file, if any.
        public var summary: ScanSummary
    }

    /// Reads `file`, calling `onRecord` with each valid record.
    public func read(_ file: InputFile, onRecord: (inout EventView) -> Void) -> Report {
        // The decoder decides which sizes it takes.
        if case .path(let path) = file.location, let size = file.size,
            let count = wholeFiles.decode(path: path, size: Int(size))
        {
            progress?.addBytesRead(Int(size))
            var summary = scanner.scan(
                inPlace: wholeFiles.output, count: count, format: file.format, onRecord: onRecord)
            summary.error = summary.error?.at(path: file.displayPath)
            progress?.addFileDone(records: summary.records)
            return Report(file: file, bytesIn: size, wasGzip: true, summary: summary)
        }
        let source: FileDescriptorSource
        switch file.location {
        case .standardInput:
            source = FileDescriptorSource(descriptor: 0, maxRead: limits.readChunkBytes, progress: progress)
        case .path(let path):
            do throws(IngestError) {
                source = try FileDescriptorSource(path: path, maxRead: limits.readChunkBytes, progress: progress)
            } catch {
                var summary = ScanSummary()
                summary.error = error.at(path: file.displayPath)
                progress?.addFileDone(records: 0)
                return Report(file: file, bytesIn: 0, wasGzip: false, summary: summary)
            }
        }
        let gzip = GzipStream(source, readChunkBytes: limits.readChunkBytes)
        var (summary, (bytesIn, wasGzip)) = scan(gzip, format: file.format, unread: (0, false), onRecord: onRecord) {
            (source.bytesRead, gzip.isGzip)
        }
        summary.error = summary.error?.at(path: file.displayPath)
        progress?.addFileDone(records: summary.records)
        return Report(file: file, bytesIn: bytesIn, wasGzip: wasGzip, summary: summary)
    }

    /// How many files this reader decoded whole: as one gzip member (ISA-L), and member by member (libdeflate).
    public var wholeFileDecodes: (oneMember: Int, byMembers: Int) { wholeFiles.decoded }

    /// Reads an in-memory input (tests, fuzzing), in chunks of `chunkSize` bytes; with `whole`, gzip input is
    /// first offered to the whole-file path (ISA-L, then libdeflate), as regular files are. Streamed, it is read
    /// ahead as a file would be when the reader's core budget has a core, and with `zlibOnly` every member is
    /// inflated by zlib (tests and fuzzing compare the decoders).
    public func read(
        bytes: [UInt8], name: String = "memory", format: InputFormat = .document, chunkSize: Int = .max,
        whole: Bool = false, zlibOnly: Bool = false, onRecord: (inout EventView) -> Void
    ) -> ScanSummary {
        if whole, let count = bytes.withUnsafeBytes({ wholeFiles.decode($0) }) {
            var summary = scanner.scan(inPlace: wholeFiles.output, count: count, format: format, onRecord: onRecord)
            summary.error = summary.error?.at(path: name)
            return summary
        }
        let gzip = GzipStream(
            MemorySource(bytes, chunkSize: chunkSize), readChunkBytes: min(chunkSize, 1 << 20), wholeMembers: !zlibOnly)
        var (summary, _) = scan(gzip, format: format, unread: (), onRecord: onRecord) {}
        summary.error = summary.error?.at(path: name)
        return summary
    }

    /// Scans a decompressed stream: read ahead when the reader has a core budget, straight from the decompressor
    /// otherwise; with `counters` of the stream as they stood after the last bytes scanned (read by whichever thread
    /// read the stream, and handed over with the bytes), or `unread` if nothing was read.
    private func scan<Counters: Sendable>(
        _ gzip: GzipStream, format: InputFormat, unread: Counters, onRecord: (inout EventView) -> Void,
        counters: @escaping () -> Counters
    ) -> (ScanSummary, Counters) {
        guard let cores else { return (scanner.scan(gzip, format: format, onRecord: onRecord), counters()) }
        let stream = ReadAheadSource(gzip, budget: cores, chunkBytes: limits.inflateChunkBytes, observe: counters)
        let summary = scanner.scan(stream, format: format, onRecord: onRecord)
        return (summary, stream.observed ?? unread)
    }
}
