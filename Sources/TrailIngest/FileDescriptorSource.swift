#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file, FIFO or stdin through a POSIX file descriptor, a chunk at a time.
///
/// A pipe, FIFO or device may never send more (or, for a FIFO, never get a writer), so those are opened without
/// waiting and polled before each read: every quarter second the reader checks whether a signal asked the run to stop
/// (``Interruption``), and then gives the file up with an error instead of holding the run open.
public final class FileDescriptorSource: ByteSource {
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    private let maxRead: Int
    private let progress: ProgressCounters?
    /// Whether the descriptor is a pipe, FIFO, socket or device, which may block for ever.
    private let isStream: Bool
    /// Bytes read so far.
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` for reading.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - maxRead: the largest single read.
    ///   - progress: counters to add the bytes read to, for a live progress line.
    public init(path: String, maxRead: Int, progress: ProgressCounters? = nil) throws(IngestError) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; reads wait in poll() instead.
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw .cannotOpen(systemError(errno)) }
        let isStream = Self.isStream(fd)
        // Regular files ignore O_NONBLOCK; a stream's reads should block, after poll() said they will not wait.
        if isStream { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        self.descriptor = fd
        self.ownsDescriptor = true
        self.maxRead = maxRead
        self.progress = progress
        self.isStream = isStream
    }

    /// Reads an already open descriptor (stdin) without closing it.
    public init(descriptor: Int32, maxRead: Int, progress: ProgressCounters? = nil) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.maxRead = maxRead
        self.progress = progress
        self.isStream = Self.isStream(descriptor)
    }

    deinit {
        if ownsDescriptor && descriptor >= 0 { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if isStream { try waitUntilReadable() }
            let n = Glibc.read(descriptor, base, min(buffer.count, maxRead))
            if n >= 0 {
                bytesRead += Int64(n)
                if n > 0 { progress?.addBytesRead(n) }
                return n
            }
            if errno == EINTR || errno == EAGAIN { continue }
            throw .readFailed(systemError(errno), fileOffset: bytesRead)
        }
    }

    /// Waits until a read will not block (data, end of data or an error), checking for a stop request meanwhile.
    private func waitUntilReadable() throws(IngestError) {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            if let signalNumber = Interruption.signal { throw .interrupted(by: signalNumber, fileOffset: bytesRead) }
            let ready = poll(&entry, 1, 250)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR && errno != EAGAIN { return }  // read() reports the error
        }
    }

    private static func isStream(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK
    }
}

/// The text of a POSIX error number, e.g. "No such file or directory (errno 2)".
func systemError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
}
