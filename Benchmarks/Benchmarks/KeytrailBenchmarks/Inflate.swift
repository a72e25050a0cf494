import BenchISAL
import BenchLibdeflate
import BenchZlib

/// The three decompressors on their own, the way `Benchmarks/zlib-floor.c` runs zlib: nothing but inflating.
enum Inflate {
    /// Inflates every member of a gzip file with zlib into `buffer` (overwritten); returns the bytes produced.
    static func zlib(_ file: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var stream = z_stream()
        guard bench_inflateInit2(&stream, 15 + 32) == Z_OK else { return 0 }
        defer { inflateEnd(&stream) }
        var produced = 0
        file.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(min(buffer.count, 256 << 10))
                let status = inflate(&stream, Z_NO_FLUSH)
                produced += min(buffer.count, 256 << 10) - Int(stream.avail_out)
                if status == Z_STREAM_END {
                    guard stream.avail_in > 0 else { return }
                    inflateReset(&stream)
                } else if status != Z_OK {
                    return
                }
            }
        }
        return produced
    }

    /// Inflates a single-member gzip file with libdeflate in one call; returns the bytes produced.
    static func libdeflate(_ file: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let decompressor = Decompressor.shared
        var produced = 0
        let status = file.withUnsafeBytes { input in
            libdeflate_gzip_decompress(
                decompressor.pointer, input.baseAddress, input.count, buffer.baseAddress, buffer.count, &produced)
        }
        return status == LIBDEFLATE_SUCCESS ? produced : 0
    }

    /// Inflates a single-member gzip file with ISA-L in one call, as keytrail reads a CloudTrail file; returns the
    /// bytes produced.
    static func isal(_ file: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let state = InflateState.shared.pointer
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        let status = file.withUnsafeBytes { input in
            state.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
            state.pointee.avail_in = UInt32(input.count)
            state.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = UInt32(buffer.count)
            return isal_inflate(state)
        }
        return status == ISAL_DECOMP_OK ? Int(state.pointee.total_out) : 0
    }

    /// One ISA-L inflate state for the whole run.
    final class InflateState: @unchecked Sendable {
        static let shared = InflateState()
        let pointer = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
    }

    /// The decompressed document of a gzip file.
    static func document(_ file: [UInt8]) -> [UInt8] {
        var capacity = max(file.count * 8, 1 << 16)
        while true {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            defer { buffer.deallocate() }
            var produced = 0
            let status = file.withUnsafeBytes { input in
                libdeflate_gzip_decompress(
                    Decompressor.shared.pointer, input.baseAddress, input.count, buffer.baseAddress, capacity,
                    &produced)
            }
            if status == LIBDEFLATE_SUCCESS { return Array(buffer[..<produced]) }
            precondition(status == LIBDEFLATE_INSUFFICIENT_SPACE, "a corpus file is not valid gzip")
            capacity *= 2
        }
    }

    /// One libdeflate decompressor for the whole run (benchmarks run one at a time).
    final class Decompressor: @unchecked Sendable {
        static let shared = Decompressor()
        let pointer = libdeflate_alloc_decompressor()!
    }
}
