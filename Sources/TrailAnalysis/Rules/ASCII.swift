/// Byte-level text tests for rules, without Unicode-aware `String` searching.
enum ASCII {
    /// An ASCII letter lowered; any other byte as it is.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count) {
            var index = 0
            while index < pattern.count && lower(haystack[start + index]) == pattern[index] { index += 1 }
            if index == pattern.count { return true }
        }
        return false
    }
}
