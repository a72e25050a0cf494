/// Random edits of corpus inputs for the plain driver: bit flips, byte changes, insertions of JSON and CloudTrail
/// tokens, deletions, duplications and splices of two inputs. Deterministic for a seed.
struct Mutator {
    private var state: UInt64
    private let corpus: [[UInt8]]
    private static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ",", ":", "\\", "\\u", "\\ud800", "\\udc00", "\\u0000", "null", "true", "-0.0e+",
        "1e999", "\"Records\":[", "\"eventTime\":\"2026-11-02T10:15:00Z\"", "\"eventName\":", "\"userIdentity\":{",
        "\"accessKeyId\":\"AKIA", "\"requestParameters\":", "\u{00}", "\u{1B}[2J", "\u{FEFF}", "\u{1F}\u{8B}\u{08}",
        "detection:\n  sel:\n    eventName|re: '(a+)+$'\n  condition: sel\n", "|base64offset|contains", "*", "?",
        "N/A", "no_information", ",,,,", "\r\n",
    ].map { Array($0.utf8) }

    init(seed: UInt64, corpus: [[UInt8]]) {
        state = seed
        self.corpus = corpus
    }

    /// The next input: a corpus entry with one to eight random edits.
    mutating func next() -> [UInt8] {
        var bytes = corpus[random(corpus.count)]
        for _ in 0...random(8) { edit(&bytes) }
        if bytes.count > 1 << 20 { bytes.removeLast(bytes.count - (1 << 20)) }
        return bytes
    }

    private mutating func edit(_ bytes: inout [UInt8]) {
        let position = random(bytes.count + 1)
        switch random(7) {
        case 0 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] ^= UInt8(1) << UInt8(random(8))
        case 1 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random(256))
        case 2:
            bytes.insert(contentsOf: Self.tokens[random(Self.tokens.count)], at: position)
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, position + 1 + random(64))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
        case 4 where !bytes.isEmpty:
            let start = min(position, bytes.count - 1)
            let piece = bytes[start..<min(bytes.count, start + 1 + random(256))]
            bytes.insert(contentsOf: piece, at: random(bytes.count + 1))
        case 5:
            let other = corpus[random(corpus.count)]
            guard !other.isEmpty else { return }
            let start = random(other.count)
            bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + random(512))], at: position)
        default:
            bytes.insert(UInt8(truncatingIfNeeded: random(256)), at: position)
        }
    }

    /// A number in 0..<bound (SplitMix64).
    private mutating func random(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }
}
