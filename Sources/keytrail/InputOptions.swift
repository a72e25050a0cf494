import ArgumentParser
import TrailEngine
import TrailIngest

/// The options that choose and bound what is read; shared by the commands that read logs.
struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Log files, folders (walked recursively) or - for stdin.",
            discussion: "Gzip is detected by content; .jsonl/.ndjson files hold one event per line.",
            valueName: "path"))
    var paths: [String] = []

    @Option(help: "Only events at or after this time (ISO 8601 date or date-time, UTC if no offset).")
    var since: TimeArgument?

    @Option(help: "Only events at or before this time; a bare date includes that whole day.")
    var until: TimeArgument?

    @Option(help: "Worker threads (default: every core).")
    var jobs: Int = ScanOptions.defaultJobs

    @Option(help: "The largest single record; a larger one is an error for its file.")
    var maxRecordSize = ByteSizeArgument(bytes: Int64(ScanLimits.default.maxRecordBytes))

    @Option(help: "The most one file may decompress to (stops gzip bombs); more is an error for that file.")
    var maxDecompressedSize = ByteSizeArgument(bytes: ScanLimits.default.maxDecompressedBytes)

    @Option(help: "Distinct source IPs, user agents and regions kept exactly per key; more are sampled and counted.")
    var maxDistinctValues = 256

    @Option(
        help: """
            Approximate ceiling on resident memory (e.g. 512MiB). Past it, keys keep only a few more distinct values \
            each and sample the rest, instead of the process growing until it is killed. Default: none.
            """)
    var maxMemory: ByteSizeArgument?

    func validate() throws {
        guard !paths.isEmpty else {
            throw ValidationError("Give at least one log file or folder, or - to read stdin.")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        guard maxDistinctValues >= 1 else { throw ValidationError("--max-distinct-values must be at least 1.") }
        guard maxRecordSize.bytes < Int64(Int32.max) / 2 else {
            throw ValidationError("--max-record-size must be under 1 GiB.")
        }
        if let since, let until, since.seconds > until.endOfRange {
            throw ValidationError("--since (\(since.text)) is after --until (\(until.text)).")
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("- (stdin) can be given only once.") }
    }

    var scanOptions: ScanOptions {
        ScanOptions(
            paths: paths, timeRange: TimeRange(since: since?.seconds, until: until?.endOfRange), jobs: jobs,
            limits: ScanLimits(
                maxRecordBytes: Int(maxRecordSize.bytes), maxDecompressedBytes: maxDecompressedSize.bytes),
            valueCap: maxDistinctValues, maxMemoryBytes: maxMemory?.bytes)
    }
}
