import CLZ4
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

    /// The bucket format written: an LZ4 block. Format 1, raw DEFLATE (libdeflate's level 1), is still read; it
    /// compressed the raw records about 6.2 to 1 at ~550 MB/s, LZ4 about 4.8 to 1 at ~1,600 MB/s, which took ~70 ms
    /// of CPU off a first run's 50,000 keys (48 MB of records) for 2.3 MB more in the store.
    static let formatVersion: UInt8 = 2
    static let deflateVersion: UInt8 = 1

    /// One bucket, encoded and compressed: a row to write.
    public struct Encoded: Sendable {
        public let index: Int
        public let keyCount: Int
        let bytes: [UInt8]
    }

    /// Encodes and compresses buckets of `keys` on `threads` threads.
    /// - Parameters:
    ///   - keys: key records, read in place.
    ///   - buckets: each bucket's index and the positions in `keys` of its keys, in ID order.
    public static func encode(
        _ keys: [KeyActivity], buckets: [(index: Int, positions: [Int32])], threads: Int
    ) -> [Encoded] {
        let parts = max(1, min(threads, buckets.count / 16 + 1))
        var pieces = [[Encoded]](repeating: [], count: parts)
        pieces.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            keys.withUnsafeBufferPointer { keys in
                let keys = UncheckedSendable(keys)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let lower = buckets.count * part / parts
                    let upper = buckets.count * (part + 1) / parts
                    output.value[part] = buckets[lower..<upper].map { bucket in
                        Encoded(
                            index: bucket.index, keyCount: bucket.positions.count,
                            bytes: encode(keys.value, positions: bucket.positions))
                    }
                }
            }
        }
        return pieces.flatMap { $0 }
    }

    /// A bucket's bytes for all of `keys`.
    static func encode(_ keys: [KeyActivity]) -> [UInt8] {
        keys.withUnsafeBufferPointer { encode($0, positions: (0..<Int32(keys.count)).map { $0 }) }
    }

    /// A bucket's bytes: format version, the uncompressed length, then the records of the keys at `positions` as one
    /// LZ4 block.
    private static func encode(_ keys: UnsafeBufferPointer<KeyActivity>, positions: [Int32]) -> [UInt8] {
        var raw = ByteWriter(capacity: positions.count * 1_024)
        write(keys, positions: positions, into: &raw)
        // Far beyond any bucket (1/1,024 of the keys): decoding refuses more than 1 GiB.
        precondition(raw.count <= 1 << 30, "a key bucket's records exceed 1 GiB")
        var header = ByteWriter(capacity: 16)
        header.raw([formatVersion])
        header.count(raw.count)
        let bound = Int(LZ4_compressBound(Int32(raw.count)))
        return raw.withBytes { input in
            header.withBytes { header in
                Array(unsafeUninitializedCapacity: header.count + bound) { output, initialized in
                    let destination = UnsafeMutableRawPointer(output.baseAddress!)
                    destination.copyMemory(from: header.baseAddress!, byteCount: header.count)
                    let written = Int(
                        LZ4_compress_default(
                            input.baseAddress?.assumingMemoryBound(to: CChar.self),
                            (destination + header.count).assumingMemoryBound(to: CChar.self), Int32(input.count),
                            Int32(bound)))
                    precondition(written > 0, "LZ4 output exceeded its bound")
                    initialized = header.count + written
                }
            }
        }
    }

    /// The keys' records, each as a length-prefixed block after their count.
    static func records(_ keys: [KeyActivity]) -> [UInt8] {
        var records = ByteWriter(capacity: keys.count * 1_024)
        keys.withUnsafeBufferPointer { write($0, positions: (0..<Int32(keys.count)).map { $0 }, into: &records) }
        return records.bytes
    }

    /// Writes the records of the keys at `positions`, read from the buffer (iterating an array of records copies
    /// each, retaining every array and string in it; passing one to the codec still copies it, see PERFORMANCE.md).
    private static func write(
        _ keys: UnsafeBufferPointer<KeyActivity>, positions: [Int32], into records: inout ByteWriter
    ) {
        records.count(positions.count)
        for position in positions {
            records.block { KeyActivityCodec.encode(keys[Int(position)], into: &$0) }
        }
    }

    /// The keys of a stored bucket, in either format.
    /// - Throws: ``StoreError`` (`corrupt`) for any inconsistency.
    static func decode(_ bytes: [UInt8], decompressor: OpaquePointer) throws(StoreError) -> [KeyActivity] {
        var keys: [KeyActivity] = []
        try decode(bytes, decompressor: decompressor, strings: nil) { keys.append($0) }
        return keys
    }

    /// Decodes the keys of a stored bucket, in either format, handing each to `body` in order.
    /// - Parameter strings: where the keys' strings come from, shared by the buckets one thread decodes.
    /// - Throws: ``StoreError`` (`corrupt`) for any inconsistency.
    private static func decode(
        _ bytes: [UInt8], decompressor: OpaquePointer, strings: DecodedStrings?, _ body: (consuming KeyActivity) -> Void
    ) throws(StoreError) {
        var header = ByteReader(bytes)
        let version = try header.byte()
        guard version == formatVersion || version == deflateVersion else {
            throw .corrupt("unknown key bucket version \(version)")
        }
        let length = try header.count(limit: 1 << 30)
        var raw = [UInt8](repeating: 0, count: length)
        let produced = bytes.withUnsafeBytes { input in
            raw.withUnsafeMutableBytes { output -> Int in
                let compressed = input.baseAddress! + header.position
                let compressedCount = input.count - header.position
                if version == deflateVersion {
                    var produced = 0
                    let status = libdeflate_deflate_decompress(
                        decompressor, compressed, compressedCount, output.baseAddress, length, &produced)
                    return status == LIBDEFLATE_SUCCESS ? produced : -1
                }
                return Int(
                    LZ4_decompress_safe(
                        compressed.assumingMemoryBound(to: CChar.self),
                        output.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(compressedCount),
                        Int32(length)))
            }
        }
        guard produced == length else { throw .corrupt("a key bucket does not decompress") }
        var reader = ByteReader(raw, strings: strings)
        for _ in 0..<(try reader.count(limit: length)) {
            let size = try reader.count(limit: length)
            var record = try reader.block(size)
            body(try KeyActivityCodec.decode(&record))
        }
        guard reader.isAtEnd else { throw .corrupt("a key bucket has trailing bytes") }
    }

    /// Decodes stored buckets on `threads` threads.
    /// - Returns: every key, bucket by bucket in the order of `rows`, and each key's bucket. The keys are moved, not
    ///   copied, from the decoding threads into the one array (a copy retains every string and array of a record).
    static func decode(
        _ rows: [(index: Int, bytes: [UInt8])], threads: Int
    ) throws(StoreError) -> (keys: [KeyActivity], buckets: [UInt16]) {
        let parts = max(1, min(threads, rows.count / 16 + 1))
        let decoded = (0..<parts).map { _ in DecodedKeys() }
        var failures = [StoreError?](repeating: nil, count: parts)
        failures.withUnsafeMutableBufferPointer { failureBuffer in
            let errors = UncheckedSendable(failureBuffer)
            let output = UncheckedSendable(decoded)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let decompressor = libdeflate_alloc_decompressor()!
                defer { libdeflate_free_decompressor(decompressor) }
                let strings = DecodedStrings()
                let keys = output.value[part]
                let lower = rows.count * part / parts
                let upper = rows.count * (part + 1) / parts
                do throws(StoreError) {
                    for row in rows[lower..<upper] {
                        guard row.index >= 0 && row.index < count else {
                            throw .corrupt("a key bucket has index \(row.index)")
                        }
                        try decode(row.bytes, decompressor: decompressor, strings: strings) {
                            keys.append($0, bucket: UInt16(row.index))
                        }
                    }
                } catch {
                    errors.value[part] = error
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        let total = decoded.reduce(0) { $0 + $1.count }
        guard total > 0 else { return ([], []) }
        let keys = [KeyActivity](unsafeUninitializedCapacity: total) { buffer, initialized in
            for part in decoded { initialized += part.moveAll(to: buffer.baseAddress! + initialized) }
        }
        return (keys, decoded.flatMap(\.buckets))
    }

    /// Keys one thread decoded, in memory it manages itself, so that they can be moved into the result.
    private final class DecodedKeys: @unchecked Sendable {
        private var keys = GrowableBuffer<KeyActivity>(capacity: 1_024)
        /// Each key's bucket.
        private(set) var buckets: [UInt16] = []

        var count: Int { keys.count }

        deinit {
            keys.removeAll()
            keys.deallocate()
        }

        func append(_ key: consuming KeyActivity, bucket: UInt16) {
            keys.append(key)
            buckets.append(bucket)
        }

        /// Moves every key to `destination`, leaving none here.
        /// - Returns: how many were moved.
        func moveAll(to destination: UnsafeMutablePointer<KeyActivity>) -> Int { keys.moveAll(to: destination) }
    }
}
