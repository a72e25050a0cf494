/// A small deterministic random number generator (SplitMix64) for property tests and generated test data: the same
/// seed gives the same values on every run and machine, so a failure can be replayed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// A random access key ID: `prefix` (such as `AKIA` or `ASIA`) and 16 characters of AWS's base-32 alphabet.
    public mutating func accessKeyID(prefix: String) -> String {
        prefix + String((0..<16).map { _ in Self.keyAlphabet.randomElement(using: &self)! })
    }

    private static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
}
