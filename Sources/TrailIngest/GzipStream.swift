import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Decompresses a gzip stream a member at a time, never holding a whole file.
///
/// Gzip is recognised by its magic bytes whatever the file is called; any other input passes through unchanged,
/// so callers open every input the same way. Concatenated gzip members (as `cat a.gz b.gz` or parallel
/// compressors write) are read as one stream; zero padding after the last member is ignored.
///
/// Each member is first offered whole to ISA-L or libdeflate (``MemberInflater``), twice as fast as zlib, once a few
/// MiB of input are held; a member that does not decode that way (larger than 16 MiB stored or 32 MiB decoded,
/// damaged, or cut short by the end of the input) is inflated by zlib in chunks from its first byte, which reports
/// damage at its precise offset and hands out the bytes before it. The bytes that come out are the same either way.
public final class GzipStream: ByteSource {
    private enum Mode {
        case detecting, inflating, serving, betweenMembers, plain, finished
    }

    private let upstream: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private var input: UnsafeMutableRawBufferPointer
    private let wholeMembers: Bool
    /// Whole members, created at the first one.
    private var members: MemberInflater?
    /// Whether the current member may still be decoded whole (false once zlib has started on it).
    private var memberMayBeWhole = false
    /// A whole member's bytes not yet handed out: from ``serveOffset`` to ``serveEnd`` of the inflater's output.
    private var serveOffset = 0
    private var serveEnd = 0
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamEnded = false
    /// The error a read of the upstream threw: thrown again by every later read, so that an error met while whole
    /// members were topped up reaches the reader after the members held before it.
    private var upstreamError: IngestError?
    private var mode = Mode.detecting
    private var zlibInitialised = false
    /// An error found by the inflate call that also produced the last bytes handed out; thrown on the next read, so
    /// the records before the damage are not lost with it.
    private var pendingError: IngestError?
    /// Bytes of the input consumed so far (compressed).
    public private(set) var compressedOffset: Int64 = 0
    /// Bytes produced so far.
    public private(set) var decompressedCount: Int64 = 0
    /// Members decoded whole (``MemberInflater``: ISA-L or libdeflate) so far.
    public private(set) var membersDecodedWhole = 0
    /// Members left to zlib so far (all of them without `wholeMembers`), counted as zlib starts on each.
    public private(set) var membersLeftToZlib = 0

    /// Wraps `upstream`.
    /// - Parameters:
    ///   - upstream: the bytes as stored.
    ///   - readChunkBytes: how much to read from `upstream` at a time while zlib inflates (whole members read more).
    ///   - wholeMembers: offer each member to ``MemberInflater`` (ISA-L, then libdeflate) first; false inflates
    ///     everything with zlib (tests and fuzzing compare the two).
    public init(_ upstream: any ByteSource, readChunkBytes: Int = 256 << 10, wholeMembers: Bool = true) {
        self.upstream = upstream
        self.wholeMembers = wholeMembers
        self.stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        // Grown to a few MiB at the first member offered whole.
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(readChunkBytes, 16), alignment: 16)
    }

    deinit {
        if zlibInitialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Whether the input turned out to be gzip (known after the first read).
    public var isGzip: Bool {
        mode == .inflating || mode == .serving || mode == .betweenMembers || (mode == .finished && zlibInitialised)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if let pendingError { throw pendingError }
        while true {
            switch mode {
            case .finished:
                return 0
            case .detecting:
                guard try fillInput(atLeast: 2) else {
                    mode = inputEnd > inputStart ? .plain : .finished
                    continue
                }
                mode = hasGzipMagic() ? .inflating : .plain
                if mode == .inflating {
                    try startMember()
                    memberMayBeWhole = wholeMembers
                    if !wholeMembers { membersLeftToZlib += 1 }
                }
            case .plain:
                if inputStart == inputEnd {
                    guard try fillInput(atLeast: 1) else {
                        mode = .finished
                        return 0
                    }
                }
                let n = min(buffer.count, inputEnd - inputStart)
                buffer.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: n)
                inputStart += n
                compressedOffset += Int64(n)
                decompressedCount += Int64(n)
                return n
            case .betweenMembers:
                try skipZeroPadding()
                if inputStart == inputEnd && upstreamEnded {
                    mode = .finished
                    return 0
                }
                guard try fillInput(atLeast: 2), hasGzipMagic() else {
                    throw .trailingGarbage(fileOffset: compressedOffset)
                }
                inflateReset(stream)
                mode = .inflating
                memberMayBeWhole = wholeMembers
                if !wholeMembers { membersLeftToZlib += 1 }
            case .inflating:
                if memberMayBeWhole {
                    try inflateWholeMember()
                    continue
                }
                let produced = try inflateSome(into: buffer)
                if produced > 0 { return produced }
            case .serving:
                guard serveOffset < serveEnd, let output = members?.output else {
                    mode = .betweenMembers
                    continue
                }
                let n = min(buffer.count, serveEnd - serveOffset)
                buffer.baseAddress!.copyMemory(from: output.baseAddress! + serveOffset, byteCount: n)
                serveOffset += n
                return n
            }
        }
    }

    private func startMember() throws(IngestError) {
        // 15 window bits + 16: gzip wrapper only (the magic was checked).
        let status = keytrail_inflateInit2(stream, 15 + 16)
        guard status == Z_OK else { throw .zlibFailure(code: status) }
        zlibInitialised = true
    }

    /// Decodes the member at the input's start whole (``MemberInflater``), reading more input while that may help, and
    /// moves to serving its bytes; or leaves it to zlib (``memberMayBeWhole`` false), which has not read any of it.
    private func inflateWholeMember() throws(IngestError) {
        // Topped up only below half the preferred input: each top-up moves what is held to the buffer's start.
        var wanted = inputEnd - inputStart < MemberInflater.preferredInput / 2 ? MemberInflater.preferredInput : 0
        // A read that fails (a signal while a stream waits for data, an I/O error) stops the topping up, not the
        // members already held: they are decoded, and zlib meets the error again (``upstreamError``) after the last
        // whole one, as it would have met it without this path.
        var readFailed = false
        attempts: while true {
            growInput(to: wanted)
            do throws(IngestError) {
                _ = try fillInput(atLeast: wanted)
            } catch {
                readFailed = true
            }
            let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            guard MemberInflater.isPlainMember(pending.bindMemory(to: UInt8.self), at: 0) else { break attempts }
            let inflater = members ?? MemberInflater()
            members = inflater
            switch inflater.inflate(pending) {
            case .member(let consumed, let produced):
                inputStart += consumed
                compressedOffset += Int64(consumed)
                decompressedCount += Int64(produced)
                serveOffset = 0
                serveEnd = produced
                memberMayBeWhole = false
                membersDecodedWhole += 1
                mode = .serving
                return
            case .tooLarge:
                break attempts
            case .needsMoreInput:
                // A member cut by the end of what is held decodes with more; a damaged one never does.
                guard !readFailed && !upstreamEnded && pending.count < MemberInflater.inputLimit else {
                    break attempts
                }
                wanted = min(max(MemberInflater.preferredInput, pending.count * 2), MemberInflater.inputLimit)
            }
        }
        memberMayBeWhole = false
        membersLeftToZlib += 1
    }

    /// Lets the input buffer hold `count` bytes.
    private func growInput(to count: Int) {
        guard count > input.count else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        let pending = inputEnd - inputStart
        if pending > 0 {
            grown.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: pending)
        }
        input.deallocate()
        input = grown
        inputStart = 0
        inputEnd = pending
    }

    /// Runs inflate once over the buffered input; returns the bytes produced (0 when it needs more input).
    private func inflateSome(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        if inputStart == inputEnd {
            guard try fillInput(atLeast: 1) else {
                throw .truncatedGzip(fileOffset: compressedOffset, decompressed: decompressedCount)
            }
        }
        let available = inputEnd - inputStart
        stream.pointee.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(available)
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        let status = inflate(stream, Z_NO_FLUSH)
        let consumed = available - Int(stream.pointee.avail_in)
        let produced = min(buffer.count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
        inputStart += consumed
        compressedOffset += Int64(consumed)
        decompressedCount += Int64(produced)
        switch status {
        case Z_OK:
            return produced
        case Z_STREAM_END:
            mode = .betweenMembers
            return produced
        case Z_BUF_ERROR:
            // No progress possible: more input is needed (handled on the next call) unless the input has ended.
            if inputStart == inputEnd && upstreamEnded {
                return try fail(.truncatedGzip(fileOffset: compressedOffset, decompressed: decompressedCount), produced)
            }
            return produced
        case Z_DATA_ERROR, Z_NEED_DICT:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
            return try fail(.corruptGzip(message, fileOffset: compressedOffset), produced)
        default:
            throw .zlibFailure(code: status)
        }
    }

    /// Hands out the `produced` bytes inflated before `error` (a bad checksum is found only after the member's
    /// last bytes came out, and how many came out in the same call depends on the chunk sizes), then the error.
    private func fail(_ error: IngestError, _ produced: Int) throws(IngestError) -> Int {
        guard produced > 0 else { throw error }
        pendingError = error
        return produced
    }

    private func hasGzipMagic() -> Bool {
        let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return bytes[inputStart] == 0x1F && bytes[inputStart + 1] == 0x8B
    }

    private func skipZeroPadding() throws(IngestError) {
        let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while true {
            while inputStart < inputEnd && bytes[inputStart] == 0 {
                inputStart += 1
                compressedOffset += 1
            }
            if inputStart < inputEnd { return }
            guard try fillInput(atLeast: 1) else { return }
        }
    }

    /// Makes at least `count` unread input bytes available; false if the upstream ends first.
    private func fillInput(atLeast count: Int) throws(IngestError) -> Bool {
        while inputEnd - inputStart < count {
            if upstreamEnded { return false }
            if let upstreamError { throw upstreamError }
            if inputStart > 0 {
                let pending = inputEnd - inputStart
                if pending > 0 {
                    memmove(input.baseAddress!, input.baseAddress! + inputStart, pending)
                }
                inputStart = 0
                inputEnd = pending
            }
            let n: Int
            do throws(IngestError) {
                n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
            } catch {
                upstreamError = error
                throw error
            }
            if n == 0 { upstreamEnded = true } else { inputEnd += n }
        }
        return true
    }
}
