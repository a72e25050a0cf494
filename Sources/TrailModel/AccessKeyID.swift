/// An AWS access key ID such as `AKIAIOSFODNN7EXAMPLE`, with the kind of credential its prefix denotes.
public struct AccessKeyID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The key ID as it appears in `userIdentity.accessKeyId`.
    public let value: String
    /// Long-term (`AKIA`), temporary (`ASIA`) or unknown.
    public let kind: AccessKeyKind

    /// Wraps a key ID and classifies it.
    public init(_ value: String) {
        self.value = value
        self.kind = AccessKeyKind.classify(value.utf8)
    }

    public var description: String { value }

    public static func < (lhs: AccessKeyID, rhs: AccessKeyID) -> Bool {
        // String's < compares Unicode scalar values, which is UTF-8 byte order, with a fast path for ASCII.
        lhs.value < rhs.value
    }
}
