#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file, FIFO or stdin through a POSIX file descriptor, a chunk at a time.
public final class FileDescriptorSource: ByteSource {
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    private let maxRead: Int
    private let progress: ProgressCounters?
    /// Bytes read so far.
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` for reading.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - maxRead: the largest single read.
    ///   - progress: counters to add the bytes read to, for a live progress line.
    public init(path: String, maxRead: Int, progress: ProgressCounters? = nil) throws(IngestError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(systemError(errno)) }
        self.descriptor = fd
        self.ownsDescriptor = true
        self.maxRead = maxRead
        self.progress = progress
    }

    /// Reads an already open descriptor (stdin) without closing it.
    public init(descriptor: Int32, maxRead: Int, progress: ProgressCounters? = nil) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.maxRead = maxRead
        self.progress = progress
    }

    deinit {
        if ownsDescriptor && descriptor >= 0 { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(descriptor, base, min(buffer.count, maxRead))
            if n >= 0 {
                bytesRead += Int64(n)
                if n > 0 { progress?.addBytesRead(n) }
                return n
            }
            if errno == EINTR { continue }
            throw .readFailed(systemError(errno), fileOffset: bytesRead)
        }
    }
}

/// The text of a POSIX error number, e.g. "No such file or directory (errno 2)".
func systemError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
}
