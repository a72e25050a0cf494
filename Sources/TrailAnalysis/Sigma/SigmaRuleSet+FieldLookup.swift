import TrailModel

extension SigmaRuleSet.FieldIndex {
    /// The longest value lowercased into the caller's buffer for a lookup; a longer one that could match takes the
    /// exact way.
    static let loweredCapacity = 256

    /// The entry of a record's value in this index: the value lowercased (Sigma matches case-insensitively), then
    /// looked up. A method of the index, so the lookup reads the table in place and retains nothing per record.
    ///
    /// ASCII text keeps its length when lowercased, so a value of a length no entry has is passed over untouched. Other
    /// text can shrink (the Kelvin sign's three bytes become "k", "Ɥ"'s three become "ɥ"'s two), by at most two bytes
    /// in three: such a value is lowercased exactly unless it is more than three times as long as every entry.
    /// - Parameters:
    ///   - bytes: the record's value of ``field``, or nil when absent.
    ///   - lowered: room for ``loweredCapacity`` bytes.
    @inline(__always)
    func entry(of bytes: UnsafeBufferPointer<UInt8>?, lowered: UnsafeMutablePointer<UInt8>) -> Int? {
        guard let bytes, !bytes.isEmpty else { return nil }
        if bytes.count <= Self.loweredCapacity && values.mayContain(count: bytes.count) {
            var ascii = true
            for position in 0..<bytes.count {
                let byte = bytes[position]
                ascii = ascii && byte < 0x80
                lowered[position] = SigmaPattern.foldASCII(byte)
            }
            if ascii { return values.entry(UnsafeBufferPointer(start: lowered, count: bytes.count)) }
        } else if (bytes.count + 2) / 3 > values.longest {
            return nil
        } else if SigmaPattern.isASCII(bytes) {
            // Lowercased, ASCII keeps its length: only a value longer than the buffer with an entry as long goes on.
            if bytes.count <= Self.loweredCapacity || !values.mayContain(count: bytes.count) { return nil }
        }
        // Non-ASCII text, or longer than the buffer: the rare, exact way.
        let folded = SigmaPattern.lowercase(Array(bytes))
        return folded.withUnsafeBufferPointer { buffer in
            values.mayContain(count: buffer.count) ? values.entry(buffer) : nil
        }
    }
}
