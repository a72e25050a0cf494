import CLibdeflate

#if canImport(Glibc)
import Glibc
#endif

/// Decompresses a whole gzip file in memory, about twice as fast as streaming zlib: a file of one member (as
/// CloudTrail writes them) in one call of ISA-L's inflate, anything else one libdeflate call per member.
///
/// CloudTrail delivers many small gzip files, for which holding one decompressed file is cheap. This decoder takes
/// files up to a size limit, reads them whole, and decompresses them into one reused buffer, using the gzip trailer's
/// size as the first guess and growing when a member needs more. ISA-L answers only for a single member that ends
/// exactly at the end of the file and matches its trailer; otherwise libdeflate decodes the file from the start.
/// Anything unusual — not gzip, too large, corrupt, truncated, trailing bytes, a member with a header CRC — makes it
/// answer nil, and the caller streams the file with ``GzipStream`` instead, which reports the precise error and keeps
/// the records before it.
final class WholeGzipDecoder {
    /// A file is decoded whole only if it decompresses to at most this many bytes.
    let limit: Int
    private let decompressor: OpaquePointer
    private let single = SingleMemberInflater()
    private var input: UnsafeMutableRawPointer
    private var inputCapacity: Int
    /// The decompressed bytes, followed by `RecordScanner.padding` bytes the scanner may use as a sentinel.
    private(set) var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int
    /// Files decoded as one member by ISA-L, and member by member by libdeflate.
    private(set) var decoded = (oneMember: 0, byMembers: 0)

    init(limit: Int) {
        self.limit = limit
        decompressor = libdeflate_alloc_decompressor()
        inputCapacity = 1 << 20
        input = .allocate(byteCount: inputCapacity, alignment: 16)
        outputCapacity = 4 << 20
        output = .allocate(capacity: outputCapacity + RecordScanner.padding)
    }

    deinit {
        libdeflate_free_decompressor(decompressor)
        input.deallocate()
        output.deallocate()
    }

    /// The least compression ratio assumed of a file: one stored larger than the limit over this would have to
    /// compress worse to fit, so it is streamed without trying. CloudTrail's JSON compresses 8-10 to 1; trying such a
    /// file read it whole and inflated the limit's worth before declining (~50 ms of a 26 MB file's 0.45 s).
    static let leastRatio = 4

    /// Reads and decodes the file at `path` of `size` bytes.
    /// - Returns: the number of decompressed bytes in ``output``, or nil when the file should be streamed.
    func decode(path: String, size: Int) -> Int? {
        guard size >= 18, size <= limit / Self.leastRatio else { return nil }
        ensureInput(size)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var read = 0
        while read < size {
            let n = pread(fd, input + read, size - read, off_t(read))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            read += n
        }
        // The file must not have grown while it was read; if it did, stream it.
        var extra: UInt8 = 0
        guard pread(fd, &extra, 1, off_t(size)) == 0 else { return nil }
        return decode(UnsafeRawBufferPointer(start: input, count: size))
    }

    /// Decodes gzip bytes held in memory.
    /// - Returns: the number of decompressed bytes in ``output``, or nil when the bytes should be streamed.
    func decode(_ compressed: UnsafeRawBufferPointer) -> Int? {
        let bytes = compressed.bindMemory(to: UInt8.self)
        guard MemberInflater.isPlainMember(bytes, at: 0) else { return nil }
        let trailerSize =
            Int(bytes[bytes.count - 4]) | Int(bytes[bytes.count - 3]) << 8 | Int(bytes[bytes.count - 2]) << 16
            | Int(bytes[bytes.count - 1]) << 24
        ensureOutput(min(max(trailerSize, bytes.count * Self.leastRatio), limit))
        if let produced = decodeSingleMember(compressed, trailerSize: trailerSize) {
            (output + produced).initialize(repeating: 0, count: RecordScanner.padding)
            decoded.oneMember += 1
            return produced
        }
        var consumed = 0
        var produced = 0
        while consumed < bytes.count {
            var memberIn = 0
            var memberOut = 0
            let status = libdeflate_gzip_decompress_ex(
                decompressor, compressed.baseAddress! + consumed, bytes.count - consumed, output + produced,
                outputCapacity - produced, &memberIn, &memberOut)
            switch status {
            case LIBDEFLATE_SUCCESS:
                consumed += memberIn
                produced += memberOut
                while consumed < bytes.count && bytes[consumed] == 0 { consumed += 1 }
                if consumed < bytes.count {
                    guard MemberInflater.isPlainMember(bytes, at: consumed) else { return nil }
                }
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                guard outputCapacity < limit else { return nil }
                ensureOutput(min(outputCapacity * 2, limit), keeping: produced)
            default:
                return nil
            }
        }
        (output + produced).initialize(repeating: 0, count: RecordScanner.padding)
        decoded.byMembers += 1
        return produced
    }

    /// Decodes `compressed` with ISA-L if it is one gzip member and nothing else, and fits ``output``.
    /// - Returns: the number of decompressed bytes, or nil when the member did not end exactly at the end of the
    ///   input (more members, padding, trailing bytes, truncation), did not fit, was declined, or its size differs
    ///   from the trailer's: libdeflate then decodes the file from the start, as it handles every such case.
    private func decodeSingleMember(_ compressed: UnsafeRawBufferPointer, trailerSize: Int) -> Int? {
        let target = UnsafeMutableRawBufferPointer(start: output, count: outputCapacity)
        // ISA-L checks the trailer's size too; it is compared here as well, so that nothing rests on that. The member
        // must use the whole input: a second member would otherwise be dropped.
        guard case .member(let consumed, let produced) = single.inflate(compressed, into: target),
            consumed == compressed.count,
            UInt32(truncatingIfNeeded: produced) == UInt32(truncatingIfNeeded: trailerSize)
        else { return nil }
        return produced
    }

    private func ensureInput(_ count: Int) {
        guard count > inputCapacity else { return }
        input.deallocate()
        inputCapacity = max(count, inputCapacity * 2)
        input = .allocate(byteCount: inputCapacity, alignment: 16)
    }

    private func ensureOutput(_ count: Int, keeping kept: Int = 0) {
        guard count > outputCapacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: count + RecordScanner.padding)
        if kept > 0 { grown.update(from: output, count: kept) }
        output.deallocate()
        output = grown
        outputCapacity = count
    }
}
