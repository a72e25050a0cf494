import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Paths to the fixtures checked into `Tests/Fixtures` and to the bundled `SampleLogs`.
public enum Fixtures {
    /// The package's root folder.
    public static let packageRoot: String = {
        var path = #filePath
        // …/Sources/TrailTestSupport/Fixtures.swift → …
        for _ in 0..<3 {
            if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
        }
        return path
    }()

    /// `Tests/Fixtures`.
    public static var folder: String { packageRoot + "/Tests/Fixtures" }

    /// The real CloudTrail records copied from public sources (see `Tests/Fixtures/realdata/README.md`).
    public static var realData: String { folder + "/realdata" }

    /// SigmaHQ's 57 CloudTrail rules (see `Tests/Fixtures/sigma/README.md`).
    public static var sigmaRules: String { folder + "/sigma" }

    /// SigmaHQ's 8 AWS rules in the retired aggregation syntax.
    public static var sigmaUnsupported: String { folder + "/sigma-unsupported" }

    /// The bundled sample archive.
    public static var sampleLogs: String { packageRoot + "/SampleLogs" }

    /// A new empty temporary folder, removed with everything in it when the test process exits.
    ///
    /// Set `KEYTRAIL_KEEP_TEST_FILES=1` to keep the folders for a post-mortem.
    public static func temporaryFolder(_ label: String = "keytrail") -> String {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        let folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        _ = removalAtExit
        madeFolders.withLock { $0.append(folder) }
        return folder
    }

    /// The folders `temporaryFolder` made in this process.
    private static let madeFolders = Mutex<[String]>([])

    /// Registers, once, the removal of every folder `temporaryFolder` made.
    private static let removalAtExit: Void = {
        guard ProcessInfo.processInfo.environment["KEYTRAIL_KEEP_TEST_FILES"] != "1" else { return }
        atexit {
            for folder in Fixtures.madeFolders.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }()

    /// Writes `bytes` to `path`, creating parent folders.
    public static func write(_ bytes: [UInt8], to path: String) {
        var folder = ""
        for component in path.split(separator: "/").dropLast() {
            folder += "/" + component
            mkdir(folder, 0o755)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        defer { close(fd) }
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                precondition(n > 0, "write failed")
                written += n
            }
        }
    }

    /// Writes a string as UTF-8.
    public static func write(_ text: String, to path: String) { write(Array(text.utf8), to: path) }

    /// Reads a whole file.
    public static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        precondition(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }
}
