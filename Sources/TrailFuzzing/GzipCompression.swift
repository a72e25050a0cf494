import CLibdeflate

/// Gzip-compresses bytes in one call with libdeflate, for targets that wrap fuzzed bytes in a valid gzip file.
enum GzipCompression {
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        guard let compressor = libdeflate_alloc_compressor(1) else { fatalError("libdeflate: out of memory") }
        defer { libdeflate_free_compressor(compressor) }
        let bound = libdeflate_gzip_compress_bound(compressor, bytes.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                libdeflate_gzip_compress(compressor, input.baseAddress, input.count, out.baseAddress, out.count)
            }
        }
        precondition(written > 0, "libdeflate could not compress \(bytes.count) bytes into \(bound)")
        return Array(output[..<written])
    }
}
