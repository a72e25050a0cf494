import CZlib

/// Gzip compression for building test inputs (keytrail itself only ever decompresses).
public enum Gzip {
    /// Compresses `bytes` into one gzip member.
    /// - Parameters:
    ///   - bytes: the data.
    ///   - level: zlib's compression level, 0–9.
    /// - Returns: the gzip file's bytes.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(keytrail_deflateInit2(&stream, level, 15 + 16) == Z_OK, "deflateInit2 failed")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = uInt(destination.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
                return destination.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    /// Compresses a string's UTF-8 bytes.
    public static func compress(_ text: String, level: Int32 = 6) -> [UInt8] {
        compress(Array(text.utf8), level: level)
    }

    /// The CRC-32 of `bytes`, as gzip uses it (trailers and the optional header CRC).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
