import CLibdeflate

/// Inflates one whole gzip member held in memory with ISA-L or libdeflate, for ``GzipStream``: about twice as fast as
/// zlib.
///
/// A stream's members are as CloudTrail wrote them (one per log file, as `cat *.json.gz` or a parallel compressor
/// leaves them), so most are small enough to hold whole. libdeflate has no streaming interface: it needs the whole
/// member in memory and room for all of its output, and it cannot tell a member cut short by the end of the buffered
/// input from a damaged one. So the stream asks for a member once it holds a good deal of input, reads more and asks
/// again when the member did not decode, and leaves the member to zlib (which reports damage precisely) once the
/// input has ended or a member is larger than it will hold. Either way the bytes that come out are the same.
final class MemberInflater {
    /// What an attempt on the buffered input gave.
    enum Outcome {
        /// A member of `consumed` input bytes decoded into ``output``'s first `produced` bytes.
        case member(consumed: Int, produced: Int)
        /// The member does not decode from the input held: more input may help, or it is damaged.
        case needsMoreInput
        /// The member decodes to more than ``outputLimit``: zlib streams it.
        case tooLarge
    }

    /// Input the stream should hold before asking, when the stream has that much.
    static let preferredInput = 4 << 20
    /// The largest member (as stored) decoded whole; larger ones are left to zlib.
    static let inputLimit = 16 << 20
    /// The most a member may decode to here.
    let outputLimit: Int
    private let decompressor: OpaquePointer
    private let single = SingleMemberInflater()
    /// The last member's bytes.
    private(set) var output: UnsafeMutableRawBufferPointer

    init(outputLimit: Int = 32 << 20) {
        self.outputLimit = outputLimit
        decompressor = libdeflate_alloc_decompressor()
        output = .allocate(byteCount: min(4 << 20, outputLimit), alignment: 64)
    }

    deinit {
        libdeflate_free_decompressor(decompressor)
        output.deallocate()
    }

    /// Decodes the member at the start of `input`, growing ``output`` up to ``outputLimit`` as it needs.
    ///
    /// ISA-L tries first (faster); a member it finishes is taken, and one the input ends inside of needs more input
    /// (libdeflate could not decode it either). Everything else — an output too small, damage, a header ISA-L
    /// declines — goes to libdeflate as before, so the outcomes are libdeflate's.
    func inflate(_ input: UnsafeRawBufferPointer) -> Outcome {
        switch single.inflate(input, into: output) {
        case .member(let consumed, let produced): return .member(consumed: consumed, produced: produced)
        case .inputEnded: return .needsMoreInput
        case .outputFull, .declined: break
        }
        while true {
            var consumed = 0
            var produced = 0
            let status = libdeflate_gzip_decompress_ex(
                decompressor, input.baseAddress, input.count, output.baseAddress, output.count, &consumed, &produced)
            switch status {
            case LIBDEFLATE_SUCCESS:
                return .member(consumed: consumed, produced: produced)
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                guard output.count < outputLimit else { return .tooLarge }
                let grown = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: min(output.count * 2, outputLimit), alignment: 64)
                output.deallocate()
                output = grown
            default:
                return .needsMoreInput
            }
        }
    }

    /// Whether a member this inflater takes starts at `start`: the magic bytes, room for a header and trailer, the
    /// deflate method, and none of these flags (no CloudTrail file sets them), which zlib rejects or checks while
    /// libdeflate or ISA-L skip them, so the decoders would disagree (each found by the gzip fuzz target):
    /// - the header CRC (FHCRC), which zlib verifies and libdeflate skips;
    /// - the reserved bits 5-7, which zlib and libdeflate refuse and ISA-L ignores.
    static func isPlainMember(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let deflateMethod: UInt8 = 8
        let headerCRCAndReserved: UInt8 = 0x02 | 0xE0
        return bytes.count - start >= 18 && bytes[start] == 0x1F && bytes[start + 1] == 0x8B
            && bytes[start + 2] == deflateMethod && bytes[start + 3] & headerCRCAndReserved == 0
    }
}
