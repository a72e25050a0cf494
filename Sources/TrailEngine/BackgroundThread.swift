import Foundation
import Synchronization

/// Work started now on its own thread (not the Swift concurrency pool, which it would block), whose result is
/// awaited later (or waited for by another such thread): lets the state store's commit run while the key rules do.
final class BackgroundThread<Result: Sendable>: Sendable {
    private struct State {
        var result: Result?
        var waiter: CheckedContinuation<Result, Never>?
    }

    private let state = Mutex(State())
    /// Signalled once the result is set, for ``wait()``.
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread.
    init(name: String, _ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            let result = body()
            let waiter = self.state.withLock { state -> CheckedContinuation<Result, Never>? in
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            self.finished.signal()
            waiter?.resume(returning: result)
        }
        thread.name = name
        thread.start()
    }

    /// The result, once the thread has produced it (may be awaited again; one caller at a time).
    func value() async -> Result {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The result, blocking this thread until it is produced: for another background thread, never a task of the
    /// Swift concurrency pool.
    func wait() -> Result {
        finished.wait()
        // Signalled again for the next caller.
        finished.signal()
        return state.withLock { $0.result! }
    }
}
