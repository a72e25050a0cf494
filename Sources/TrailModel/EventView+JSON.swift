extension EventView {
    /// A raw JSON field (`requestParameters`, `responseElements`, `additionalEventData`) parsed, or nil when absent
    /// or not valid JSON. Parsing happens only when a rule asks.
    public func json(_ field: EventField) -> JSONValue? {
        guard let bytes = bytes(field) else { return nil }
        return try? JSONValue.parse(bytes)
    }

    /// The caller's user name: `userIdentity.userName`, or for an assumed role the session issuer's name.
    public var callerName: String? { string(.userName) ?? string(.sessionIssuerUserName) }

    /// Whether `userIdentity.type` is `Root`.
    @inlinable
    public var isRoot: Bool { field(.identityType, equals: "Root") }
}
