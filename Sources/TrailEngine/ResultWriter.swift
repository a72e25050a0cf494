#if canImport(Glibc)
import Glibc
#endif

/// Writes a command's result, in pieces, to stdout or to a file.
///
/// A regular file (or a new one) is written under a temporary name beside it and renamed into place by
/// ``commit()``, so a reader or a cron job's next step never sees half a report. Anything else that exists
/// (`/dev/null`, a FIFO, a terminal) is written in place: renaming over it would replace the device. One writer
/// at a time: it may be handed to a sink on another task, but not written from two at once.
public final class ResultWriter: @unchecked Sendable {
    /// Why the result could not be written.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        /// The destination.
        public let path: String
        /// The system's reason.
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    private let path: String
    private let descriptor: Int32
    private let temporaryPath: String?
    private var finished = false

    /// Opens the destination: `path`, or stdout when nil or `-`.
    public init(path: String?) throws(WriteError) {
        guard let path, path != "-" else {
            self.path = "stdout"
            self.descriptor = 1
            self.temporaryPath = nil
            return
        }
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw WriteError(path: path, reason: Self.reason(errno)) }
            self.descriptor = fd
            self.temporaryPath = nil
            return
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, exists ? info.st_mode & 0o777 : 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: Self.reason(errno)) }
        self.descriptor = fd
        self.temporaryPath = temporary
    }

    deinit { abandon() }

    /// Writes `bytes`.
    public func write(_ bytes: [UInt8]) throws(WriteError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure != 0 { throw WriteError(path: path, reason: Self.reason(failure)) }
    }

    /// Writes a string's UTF-8.
    public func write(_ text: String) throws(WriteError) { try write(Array(text.utf8)) }

    /// Finishes: renames a temporary file into place, closes what this writer opened.
    public func commit() throws(WriteError) {
        guard !finished else { return }
        finished = true
        guard descriptor != 1 else { return }
        if let temporaryPath {
            if fsync(descriptor) != 0 || close(descriptor) != 0 {
                let code = errno
                unlink(temporaryPath)
                throw WriteError(path: path, reason: Self.reason(code))
            }
            if rename(temporaryPath, path) != 0 {
                let code = errno
                unlink(temporaryPath)
                throw WriteError(path: path, reason: Self.reason(code))
            }
        } else {
            close(descriptor)
        }
    }

    /// Gives up: removes a temporary file; the destination is left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        guard descriptor != 1 else { return }
        close(descriptor)
        if let temporaryPath { unlink(temporaryPath) }
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
