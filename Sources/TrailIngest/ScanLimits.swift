/// Bounds on what one input may cost, and the chunk sizes of the streaming reader.
public struct ScanLimits: Sendable, Equatable {
    /// The largest single record; a larger one is an error for its file. Default 64 MiB.
    public var maxRecordBytes: Int
    /// The most bytes one file may decompress to; more is an error for that file (gzip bombs). Default 4 GiB.
    public var maxDecompressedBytes: Int64
    /// How many bytes are read from a file at a time. Default 256 KiB.
    public var readChunkBytes: Int
    /// How many decompressed bytes the scanner asks for at a time. Default 256 KiB.
    public var inflateChunkBytes: Int
    /// Keep each record's raw JSON reachable (``EventView/rawRecord``) even when its fields are unescaped in place,
    /// by copying those records first: needed by rules that read fields the scanner does not extract.
    public var keepsRawRecords = false

    /// The defaults: 64 MiB records, 4 GiB per file, 256 KiB chunks.
    public static let `default` = ScanLimits()

    /// Creates limits; every argument has the documented default.
    public init(
        maxRecordBytes: Int = 64 << 20, maxDecompressedBytes: Int64 = 4 << 30,
        readChunkBytes: Int = 256 << 10, inflateChunkBytes: Int = 256 << 10
    ) {
        precondition(maxRecordBytes > 0 && maxRecordBytes < Int(Int32.max) / 2, "record cap out of range")
        precondition(readChunkBytes > 0 && inflateChunkBytes > 0, "chunk sizes must be positive")
        self.maxRecordBytes = maxRecordBytes
        self.maxDecompressedBytes = maxDecompressedBytes
        self.readChunkBytes = readChunkBytes
        self.inflateChunkBytes = inflateChunkBytes
    }
}
