import CLibdeflate
import Dispatch
import TrailModel

/// Keys are stored in a fixed number of buckets by a stable hash of their ID: one row per bucket, holding its keys'
/// encoded activity compressed together. A checkpoint rewrites only the buckets its keys fall in.
///
/// One row per key costs SQLite about 15 µs a row however small, which a first run over 50,000 keys felt as seconds;
/// a bucket also compresses well, since keys side by side share user agents, ARNs and service names.
public enum KeyBucket {
    /// How many buckets there are. Changing it needs a migration that rewrites every bucket.
    public static let count = 1_024

    /// The bucket a key belongs to.
    public static func index(of accessKeyId: String) -> Int {
        Int(StableHash.hash(accessKeyId, seed: 0x6B65_7962_7563_6B74) % UInt64(count))
    }

    static let formatVersion: UInt8 = 1

    /// One bucket, encoded and compressed: a row to write.
    public struct Encoded: Sendable {
        public let index: Int
        public let keyCount: Int
        let bytes: [UInt8]
    }

    /// Encodes and compresses `buckets` (index and its keys, sorted by ID) on `threads` threads.
    public static func encode(_ buckets: [(index: Int, keys: [KeyActivity])], threads: Int) -> [Encoded] {
        let parts = max(1, min(threads, buckets.count / 16 + 1))
        var pieces = [[Encoded]](repeating: [], count: parts)
        pieces.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let compressor = libdeflate_alloc_compressor(1)!
                defer { libdeflate_free_compressor(compressor) }
                let lower = buckets.count * part / parts
                let upper = buckets.count * (part + 1) / parts
                output.value[part] = buckets[lower..<upper].map { bucket in
                    Encoded(
                        index: bucket.index, keyCount: bucket.keys.count,
                        bytes: encode(bucket.keys, compressor: compressor))
                }
            }
        }
        return pieces.flatMap { $0 }
    }

    /// A bucket's bytes: format version, the uncompressed length, then raw DEFLATE of the keys' records.
    static func encode(_ keys: [KeyActivity], compressor: OpaquePointer) -> [UInt8] {
        var records = ByteWriter(capacity: keys.count * 1_024)
        records.count(keys.count)
        var scratch = ByteWriter(capacity: 4_096)
        // Read in place: iterating copies each record, retaining every array and string in it.
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices {
                scratch.removeAll()
                KeyActivityCodec.encode(keys[index], into: &scratch)
                records.block(scratch.bytes)
            }
        }
        let raw = records.bytes
        var header = ByteWriter(capacity: 16)
        header.raw([formatVersion])
        header.count(raw.count)
        var output = header.bytes
        let bound = libdeflate_deflate_compress_bound(compressor, raw.count)
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = raw.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { destination in
                libdeflate_deflate_compress(
                    compressor, input.baseAddress, input.count, destination.baseAddress! + header.bytes.count, bound)
            }
        }
        precondition(written > 0, "DEFLATE output exceeded its bound")
        output.removeLast(bound - written)
        return output
    }

    /// The keys of a stored bucket.
    /// - Throws: ``StoreError`` (`corrupt`) for any inconsistency.
    static func decode(_ bytes: [UInt8], decompressor: OpaquePointer) throws(StoreError) -> [KeyActivity] {
        var header = ByteReader(bytes)
        guard try header.byte() == formatVersion else { throw .corrupt("unknown key bucket version") }
        let length = try header.count(limit: 1 << 30)
        var raw = [UInt8](repeating: 0, count: length)
        var produced = 0
        let status = bytes.withUnsafeBytes { input in
            raw.withUnsafeMutableBytes { output in
                libdeflate_deflate_decompress(
                    decompressor, input.baseAddress! + header.position, input.count - header.position,
                    output.baseAddress, length, &produced)
            }
        }
        guard status == LIBDEFLATE_SUCCESS, produced == length else { throw .corrupt("a key bucket does not inflate") }
        var reader = ByteReader(raw)
        var keys: [KeyActivity] = []
        for _ in 0..<(try reader.count(limit: length)) {
            let size = try reader.count(limit: length)
            keys.append(try KeyActivityCodec.decode(try reader.slice(size)))
        }
        guard reader.isAtEnd else { throw .corrupt("a key bucket has trailing bytes") }
        return keys
    }

    /// Decodes stored buckets on `threads` threads.
    static func decode(_ rows: [(index: Int, bytes: [UInt8])], threads: Int) throws(StoreError) -> [[KeyActivity]] {
        var buckets = [[KeyActivity]](repeating: [], count: count)
        let parts = max(1, min(threads, rows.count / 16 + 1))
        var failures = [StoreError?](repeating: nil, count: parts)
        buckets.withUnsafeMutableBufferPointer { bucketBuffer in
            failures.withUnsafeMutableBufferPointer { failureBuffer in
                let output = UncheckedSendable(bucketBuffer)
                let errors = UncheckedSendable(failureBuffer)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let decompressor = libdeflate_alloc_decompressor()!
                    defer { libdeflate_free_decompressor(decompressor) }
                    let lower = rows.count * part / parts
                    let upper = rows.count * (part + 1) / parts
                    do throws(StoreError) {
                        for row in rows[lower..<upper] {
                            guard row.index >= 0 && row.index < count else {
                                throw .corrupt("a key bucket has index \(row.index)")
                            }
                            output.value[row.index] = try decode(row.bytes, decompressor: decompressor)
                        }
                    } catch {
                        errors.value[part] = error
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        return buckets
    }
}
