import TrailModel

#if canImport(Glibc)
import Glibc
#endif

/// Finds the log files to read under the paths a user gave: files, folders (walked recursively in a fixed
/// order), FIFOs and `-` for standard input.
///
/// Digest and Insights files are set aside and counted; files whose S3 path or AWS file name puts them outside
/// the time range are pruned without being opened; anything else that is not a log file by name is counted as
/// ignored. Symbolic links are followed, loops and duplicates are read once.
public struct LogSource: Sendable {
    /// The paths as given; `-` means standard input.
    public var paths: [String]
    /// Files wholly outside this range are pruned.
    public var timeRange: TimeRange

    /// Creates a source.
    public init(paths: [String], timeRange: TimeRange = TimeRange()) {
        self.paths = paths
        self.timeRange = timeRange
    }

    /// What discovery found.
    public struct Discovery: Sendable {
        /// Event files to read, in discovery order.
        public var files: [InputFile] = []
        /// Digest files set aside.
        public var digestFiles = 0
        /// Insights files set aside.
        public var insightFiles = 0
        /// Files pruned by `--since`/`--until` from their path.
        public var prunedFiles = 0
        /// Files in walked folders that are not logs by name, and non-regular files; a few examples are kept.
        public var ignoredFiles = 0
        /// Up to ten ignored paths with the reason.
        public var ignoredExamples: [String] = []
        /// Paths that could not be read at all.
        public var errors: [IngestError] = []

        /// Digest and Insights files together (`stats.skippedFiles`).
        public var skippedFiles: Int { digestFiles + insightFiles }
    }

    /// Walks the paths.
    public func discover() -> Discovery {
        var walk = Walk(timeRange: timeRange)
        for path in paths {
            if path == "-" {
                walk.discovery.files.append(.standardInput)
            } else {
                walk.visit(path, explicit: true)
            }
        }
        return walk.discovery
    }

    /// Whether a file name (or a path ending in one) looks like a CloudTrail log: `.json`, `.jsonl`, `.ndjson`, each
    /// optionally `.gz`.
    public static func isLogFileName(_ name: String) -> Bool {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".gz") { lowered.removeLast(3) }
        return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson")
    }
}

/// The state of one discovery walk.
private struct Walk {
    let timeRange: TimeRange
    var discovery = LogSource.Discovery()
    var seenFiles = Set<FileIdentity>()
    var seenFolders = Set<FileIdentity>()

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    init(timeRange: TimeRange) { self.timeRange = timeRange }

    mutating func visit(_ path: String, explicit: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = systemError(errno)
            if explicit || errno != ENOENT {
                discovery.errors.append(IngestError.cannotOpen(reason).at(path: path))
            } else {
                ignore(path, "a broken symbolic link")
            }
            return
        }
        let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            walkFolder(path, identity: identity)
        case S_IFREG:
            addFile(path, info: info, identity: identity, explicit: explicit)
        case S_IFIFO where explicit:
            discovery.files.append(InputFile(path: path, size: nil))
        default:
            if explicit {
                discovery.errors.append(
                    IngestError.notReadable("not a regular file, folder or FIFO; nothing was read").at(path: path))
            } else {
                ignore(path, "not a regular file")
            }
        }
    }

    /// Where `d_name` starts in a directory entry.
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    private mutating func walkFolder(_ path: String, identity: FileIdentity) {
        guard seenFolders.insert(identity).inserted else {
            ignore(path, "a folder already walked (a symbolic link loop or a duplicate path)")
            return
        }
        guard let folder = opendir(path) else {
            discovery.errors.append(IngestError.cannotOpen(systemError(errno)).at(path: path))
            return
        }
        var names: [String] = []
        while let entry = readdir(folder) {
            // Read the name in place up to its NUL: a directory entry is only as long as its name needs, so copying
            // the whole d_name array reads past the end of the kernel's buffer (AddressSanitizer found it).
            let name = String(
                cString: (UnsafeRawPointer(entry) + Self.nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(folder)
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        for name in names { visit(prefix + name, explicit: false) }
    }

    private mutating func addFile(_ path: String, info: stat, identity: FileIdentity, explicit: Bool) {
        // The file as it would be read: what its path says is parsed once, here, and kept with it.
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let file = InputFile(path: path, size: Int64(info.st_size), modificationTime: modified)
        let archive = file.archive
        switch archive.logType {
        case .digest:
            discovery.digestFiles += 1
            return
        case .insight:
            discovery.insightFiles += 1
            return
        default:
            break
        }
        // The suffix is the file name's: none of the suffixes it looks for holds a slash.
        guard explicit || LogSource.isLogFileName(path) else {
            ignore(path, "not a .json, .jsonl or .ndjson file (optionally .gz)")
            return
        }
        guard seenFiles.insert(identity).inserted else {
            ignore(path, "the same file was already listed")
            return
        }
        if !timeRange.isUnbounded, let possible = archive.possibleEventTimes, !timeRange.overlaps(possible) {
            discovery.prunedFiles += 1
            return
        }
        discovery.files.append(file)
    }

    private mutating func ignore(_ path: String, _ reason: String) {
        discovery.ignoredFiles += 1
        if discovery.ignoredExamples.count < 10 { discovery.ignoredExamples.append("\(path): \(reason)") }
    }
}
