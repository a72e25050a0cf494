/// Carries a value into concurrently executing code that the caller has proven safe (disjoint writes, read-only
/// sharing), where the compiler cannot see it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
