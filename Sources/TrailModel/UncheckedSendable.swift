/// Carries a value into concurrently executing code that the caller has proven safe (disjoint writes, read-only
/// sharing), where the compiler cannot see it.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }
}
