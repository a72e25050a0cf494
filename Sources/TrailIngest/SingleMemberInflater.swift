import CISAL

/// Inflates the gzip member at the start of a buffer into a buffer, in one call of ISA-L's inflate, which decodes
/// CloudTrail's files about 15-20% faster than libdeflate on this project's machines (`Benchmarks/`,
/// `InflateISALWholeFile`). It answers only what it is sure of; ``WholeGzipDecoder`` and ``MemberInflater`` hand
/// everything else to libdeflate, so that each keeps the behaviour it had with libdeflate alone.
final class SingleMemberInflater {
    /// What one call gave.
    enum Outcome: Equatable {
        /// The member ended after `consumed` input bytes and decoded to `produced` bytes; its CRC and size checked.
        case member(consumed: Int, produced: Int)
        /// The input ended inside the member, which was valid so far: more input is needed.
        case inputEnded
        /// The output filled before the member ended.
        case outputFull
        /// Anything else: a damaged member, or input ISA-L will not take (left to libdeflate and then zlib to judge).
        case declined
    }

    /// ISA-L's inflate state (85 KB, mostly its window), set up again for every member.
    private let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)

    deinit { state.deallocate() }

    /// Inflates the member at the start of `input` into `output`.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Outcome {
        guard input.count <= Int(UInt32.max), output.count <= Int(UInt32.max), let source = input.baseAddress,
            let target = output.baseAddress
        else { return .declined }
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        state.pointee.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = target.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(output.count)
        // With ISAL_GZIP, ISA-L parses the header and checks the trailer's CRC and size. A member cut short also
        // returns ISAL_DECOMP_OK, before its last block: only a finished one is a member.
        guard isal_inflate(state) == ISAL_DECOMP_OK else { return .declined }
        if state.pointee.block_state == ISAL_BLOCK_FINISH {
            return .member(consumed: input.count - Int(state.pointee.avail_in), produced: Int(state.pointee.total_out))
        }
        if state.pointee.avail_out == 0 { return .outputFull }
        return state.pointee.avail_in == 0 ? .inputEnded : .declined
    }
}
