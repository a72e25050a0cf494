import ArgumentParser
import TrailAnalysis
import TrailEngine
import TrailIngest
import TrailModel

/// A point in time on the command line: an ISO 8601 date (`2026-11-01`) or date-time (`2026-11-01T12:00:00Z`).
struct TimeArgument: ExpressibleByArgument {
    let text: String
    let seconds: Int64

    init?(argument: String) {
        guard let seconds = CommandLineValues.time(argument) else { return nil }
        self.text = argument
        self.seconds = seconds
    }

    /// The last second of the day for a bare date, for `--until`.
    var endOfRange: Int64 { CommandLineValues.time(text, endOfDay: true) ?? seconds }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A byte size on the command line: `1048576`, `64MiB`, `4GiB`, `512K`.
struct ByteSizeArgument: ExpressibleByArgument {
    let bytes: Int64

    init?(argument: String) {
        guard let bytes = CommandLineValues.byteSize(argument), bytes > 0 else { return nil }
        self.bytes = bytes
    }

    init(bytes: Int64) { self.bytes = bytes }

    var defaultValueDescription: String { formatBytes(bytes) }
}

/// When to draw the live progress line on stderr.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// What `keytrail scan` prints.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    /// For people: summary, keys, findings.
    case text
    /// The keytrail.scan/1 document.
    case json
    /// One keytrail.finding/1 object per line, nothing else.
    case jsonl
}

/// The least severe finding that makes `keytrail scan` exit with 1.
enum FailThreshold: String, ExpressibleByArgument, CaseIterable {
    case info, low, medium, high, critical, none

    /// The severity, or nil for `none` (never fail on findings).
    var severity: Severity? { Severity(rawValue: rawValue) }
}

extension Configuration.Profile: ExpressibleByArgument {}
