import TrailModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SigmaRuleSet.FieldIndex {
    /// The longest value looked up by lowercasing it into the caller's buffer; longer values match no entry.
    static let loweredCapacity = 256

    /// The entry of a record's value in this index: the value lowercased (Sigma matches case-insensitively), then
    /// looked up. A method of the index, so the lookup reads the table in place and retains nothing per record.
    /// - Parameters:
    ///   - bytes: the record's value of ``field``, or nil when absent.
    ///   - lowered: room for ``loweredCapacity`` bytes.
    @inline(__always)
    func entry(of bytes: UnsafeBufferPointer<UInt8>?, lowered: UnsafeMutablePointer<UInt8>) -> Int? {
        guard let bytes, !bytes.isEmpty, bytes.count <= Self.loweredCapacity else { return nil }
        var ascii = true
        if values.mayContain(count: bytes.count) {
            for position in 0..<bytes.count {
                let byte = bytes[position]
                ascii = ascii && byte < 0x80
                lowered[position] = SigmaPattern.foldASCII(byte)
            }
            if ascii { return values.entry(UnsafeBufferPointer(start: lowered, count: bytes.count)) }
        } else if memchr(bytes.baseAddress!, 0xE2, bytes.count) == nil {
            // No value of this length is indexed; only a Kelvin sign (E2 84 AA, lowercased to "k") could shorten
            // this one to such a length.
            return nil
        }
        // Non-ASCII text lowercases to other lengths (the Kelvin sign becomes "k"): the rare, exact way.
        let folded = SigmaPattern.lowercase(Array(bytes))
        return folded.withUnsafeBufferPointer { buffer in
            values.mayContain(count: buffer.count) ? values.entry(buffer) : nil
        }
    }
}
