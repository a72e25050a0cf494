import Synchronization

/// Cores a run may use beyond the threads already working on it, shared by its workers: a worker that runs out of
/// files gives its core back, and a streamed input takes one to be decompressed beside its scan
/// (``ReadAheadSource``).
public final class CoreBudget: Sendable {
    private let free: Atomic<Int>

    /// A budget of `cores` spare cores (none when negative).
    public init(cores: Int) { free = Atomic(max(0, cores)) }

    /// Spare cores now.
    public var available: Int { free.load(ordering: .relaxed) }

    /// Takes a spare core if there is one.
    public func tryAcquire() -> Bool {
        var current = free.load(ordering: .relaxed)
        while current > 0 {
            let (exchanged, original) = free.compareExchange(
                expected: current, desired: current - 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives a core back.
    public func release() { free.wrappingAdd(1, ordering: .releasing) }
}
