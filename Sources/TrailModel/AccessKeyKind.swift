/// What an access key ID says about the credential behind it.
///
/// AWS prefixes long-term IAM user and root keys with `AKIA` and temporary STS credentials with `ASIA`.
/// Anything else (service-internal ids, truncated or redacted values) is ``unknown``.
public enum AccessKeyKind: String, Sendable, Hashable, CaseIterable {
    /// An `AKIA…` key: an IAM user's or the root user's long-term access key.
    case longTerm = "long-term"
    /// An `ASIA…` key: short-term credentials from STS (roles, sessions, federation, console).
    case temporary = "temporary"
    /// Neither prefix.
    case unknown = "unknown"

    /// Classifies an access key ID by its prefix.
    /// - Parameter accessKeyID: the raw `userIdentity.accessKeyId` bytes.
    /// - Returns: the kind of credential the prefix denotes.
    @inlinable
    public static func classify<Bytes: Collection<UInt8>>(_ accessKeyID: Bytes) -> AccessKeyKind {
        var iterator = accessKeyID.makeIterator()
        guard let a = iterator.next(), let b = iterator.next(), let c = iterator.next(), let d = iterator.next()
        else { return .unknown }
        guard b == UInt8(ascii: "S") || b == UInt8(ascii: "K") else { return .unknown }
        guard c == UInt8(ascii: "I"), d == UInt8(ascii: "A") else { return .unknown }
        if a == UInt8(ascii: "A") && b == UInt8(ascii: "K") { return .longTerm }
        if a == UInt8(ascii: "A") && b == UInt8(ascii: "S") { return .temporary }
        return .unknown
    }
}
