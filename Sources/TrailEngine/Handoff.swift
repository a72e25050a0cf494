/// Hands a value to one other thread whole: taken there, it is uniquely referenced, so changing it copies nothing
/// (captured by a closure instead, it would be shared with the closure's context until that is freed).
///
/// The caller guarantees a single taker, after the value was handed over.
final class Handoff<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: consuming Value) { self.value = value }

    /// The value; may be called once.
    func take() -> Value {
        guard let taken = value.take() else { preconditionFailure("a handed-off value is taken once") }
        return taken
    }
}
