/// A string pattern compiled from a rule value: exact, prefix, suffix, substring or wildcard, over UTF-8 bytes,
/// case-insensitive unless `cased` (ASCII letters fold in place; other text is compared by its lowercase form).
public struct SigmaPattern: Sendable, Equatable {
    /// How the literal is compared.
    public enum Kind: Sendable, Equatable {
        case exact, prefix, suffix, contains
        /// `*` and `?` wildcards remain after escapes were resolved.
        case glob
    }

    /// One token of a glob pattern while it is compiled.
    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case anyRun
        case anyOne
    }

    /// One byte-level unit of a glob.
    enum Unit: Sendable, Equatable { case byte(UInt8), one, run }

    public let kind: Kind
    /// The glob flattened to bytes, for matching.
    let units: [Unit]
    /// The literal bytes (lowercased unless cased) for exact/prefix/suffix/contains.
    public let literal: [UInt8]
    let cased: Bool

    /// A copy sharing no buffer with `other` (see `SigmaRuleSet.workerTables()`).
    init(copying other: SigmaPattern) {
        kind = other.kind
        units = other.units.map { $0 }
        literal = other.literal.map { $0 }
        cased = other.cased
    }

    /// Compiles a Sigma string: `*` any run, `?` any one character, `\*` `\?` `\\` literal; `modifier` is
    /// `contains`, `startswith`, `endswith` or none.
    public init(_ text: String, modifier: Kind = .exact, cased: Bool) {
        self.cased = cased
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var hasWildcard = false
        var iterator = Array(text.utf8).makeIterator()
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "\\"):
                // Sigma escapes only wildcards and the backslash; any other backslash is literal.
                if let next = iterator.next() {
                    if next == UInt8(ascii: "*") || next == UInt8(ascii: "?") || next == UInt8(ascii: "\\") {
                        literal.append(next)
                    } else {
                        literal.append(byte)
                        literal.append(next)
                    }
                } else {
                    literal.append(byte)
                }
            case UInt8(ascii: "*"):
                flush()
                hasWildcard = true
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case UInt8(ascii: "?"):
                flush()
                hasWildcard = true
                tokens.append(.anyOne)
            default:
                literal.append(byte)
            }
        }
        flush()
        let fold: ([UInt8]) -> [UInt8] = { cased ? $0 : SigmaPattern.lowercase($0) }
        if hasWildcard {
            var wrapped = tokens.map { token -> Token in
                if case .literal(let bytes) = token { return .literal(fold(bytes)) }
                return token
            }
            if modifier == .contains || modifier == .suffix, wrapped.first != .anyRun { wrapped.insert(.anyRun, at: 0) }
            if modifier == .contains || modifier == .prefix, wrapped.last != .anyRun { wrapped.append(.anyRun) }
            self.kind = .glob
            self.units = wrapped.flatMap { token -> [Unit] in
                switch token {
                case .literal(let bytes): return bytes.map(Unit.byte)
                case .anyOne: return [.one]
                case .anyRun: return [.run]
                }
            }
            self.literal = []
        } else {
            let bytes =
                tokens.first.flatMap { token -> [UInt8]? in
                    if case .literal(let bytes) = token { return bytes }
                    return nil
                } ?? []
            self.kind = modifier
            self.literal = fold(bytes)
            self.units = []
        }
    }

    /// Whether `value` matches. ASCII text is folded on the fly; other text is lowercased first.
    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if !cased && !SigmaPattern.isASCII(value) {
            let folded = SigmaPattern.lowercase(Array(value))
            return folded.withUnsafeBufferPointer { match($0, fold: false) }
        }
        return match(value, fold: !cased)
    }

    /// Whether `value` matches.
    func matches(_ value: [UInt8]) -> Bool { value.withUnsafeBufferPointer { matches($0) } }

    private func match(_ subject: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        switch kind {
        case .exact:
            return subject.count == literal.count && SigmaPattern.equal(subject, from: 0, literal, fold: fold)
        case .prefix:
            return subject.count >= literal.count && SigmaPattern.equal(subject, from: 0, literal, fold: fold)
        case .suffix:
            return subject.count >= literal.count
                && SigmaPattern.equal(subject, from: subject.count - literal.count, literal, fold: fold)
        case .contains:
            return literal.isEmpty || SigmaPattern.find(literal, in: subject, fold: fold)
        case .glob:
            return SigmaPattern.glob(units, subject, fold: fold)
        }
    }

    @inline(__always)
    static func foldASCII(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// Whether every byte is ASCII, tested eight at a time (gates and exact tests ask it of a field on each record).
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            offset += 8
        }
        while offset < bytes.count {
            if base[offset] >= 0x80 { return false }
            offset += 1
        }
        return true
    }

    /// Whether `subject[start...]` begins with `literal` (already folded).
    @inline(__always)
    static func equal(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, _ literal: [UInt8], fold: Bool) -> Bool {
        for index in 0..<literal.count {
            let byte = subject[start + index]
            if (fold ? foldASCII(byte) : byte) != literal[index] { return false }
        }
        return true
    }

    /// Lowercases UTF-8 text, Unicode-aware.
    static func lowercase(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.map(foldASCII) }
        return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }

    /// Whether `needle` (already folded when `fold`) occurs in `haystack`.
    ///
    /// Tests eight starting positions at a time: a position is a candidate when the haystack has the needle's first
    /// byte there and its last byte where the needle would end (with bit 5 set on both sides for a letter, when
    /// folding), and only candidates are compared in full. A gate runs this on a field of every record; the
    /// `memchr` loop it replaces stopped at each of an ARN's five colons for SigmaHQ's `:assumed-role/aws:`.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard count <= haystack.count, let base = haystack.baseAddress else { return false }
        let first = needle[0]
        let last = needle[count - 1]
        // A folded needle's letters are lowercase; a haystack byte with bit 5 set equals one exactly when it is that
        // letter in either case (or, for no letter, the byte itself: then bit 5 is left alone).
        let firstCase: UInt8 = fold && isLowercaseLetter(first) ? 0x20 : 0
        let lastCase: UInt8 = fold && isLowercaseLetter(last) ? 0x20 : 0
        let lastStart = haystack.count - count
        var start = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        let firstWord = ones &* UInt64(first)
        let lastWord = ones &* UInt64(last)
        let firstCaseWord = ones &* UInt64(firstCase)
        let lastCaseWord = ones &* UInt64(lastCase)
        let raw = UnsafeRawPointer(base)
        while start + 7 <= lastStart {
            let heads = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let tails = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + count - 1, as: UInt64.self))
            // A zero byte marks a candidate; the borrow of the zero-byte test can flag a byte above a zero one too,
            // never miss one, and the full compare sorts those out.
            let differences = ((heads | firstCaseWord) ^ firstWord) | ((tails | lastCaseWord) ^ lastWord)
            var candidates = (differences &- ones) & ~differences & (ones &* 0x80)
            while candidates != 0 {
                if equal(haystack, from: start + candidates.trailingZeroBitCount / 8, needle, fold: fold) {
                    return true
                }
                candidates &= candidates &- 1
            }
            start += 8
        }
        while start <= lastStart {
            if base[start] | firstCase == first && base[start + count - 1] | lastCase == last
                && equal(haystack, from: start, needle, fold: fold)
            {
                return true
            }
            start += 1
        }
        return false
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }

    /// Glob matching with backtracking to the last `*` only: linear in practice, never exponential.
    static func glob(_ units: [Unit], _ subject: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        // `?` stands for one character: skip a whole UTF-8 sequence.
        func characterLength(at index: Int) -> Int {
            let lead = subject[index]
            if lead < 0x80 { return 1 }
            if lead >= 0xF0 { return min(4, subject.count - index) }
            if lead >= 0xE0 { return min(3, subject.count - index) }
            if lead >= 0xC0 { return min(2, subject.count - index) }
            return 1
        }
        var p = 0
        var s = 0
        var starP = -1
        var starS = 0
        while s < subject.count {
            if p < units.count {
                switch units[p] {
                case .byte(let byte) where byte == (fold ? foldASCII(subject[s]) : subject[s]):
                    p += 1
                    s += 1
                    continue
                case .one:
                    p += 1
                    s += characterLength(at: s)
                    continue
                case .run:
                    starP = p
                    starS = s
                    p += 1
                    continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starS += characterLength(at: starS)
            s = starS
        }
        while p < units.count && units[p] == .run { p += 1 }
        return p == units.count
    }
}
