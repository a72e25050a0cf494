/// Serves bytes held in memory, at most `chunkSize` at a time (tests use tiny chunks to split records anywhere).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var position = 0

    /// Creates a source over `bytes`.
    /// - Parameters:
    ///   - bytes: the data.
    ///   - chunkSize: the most bytes returned by one read.
    public init(_ bytes: [UInt8], chunkSize: Int = .max) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        let n = min(buffer.count, chunkSize, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
