import Foundation
import Synchronization

/// Runs `count` workers on their own threads (not the Swift concurrency pool, which they would block) and
/// returns their results in worker order.
enum WorkerThreads {
    static func run<Result: Sendable>(
        count: Int, stackSize: Int = 8 << 20, _ body: @escaping @Sendable (Int) -> Result
    ) async -> [Result] {
        await withCheckedContinuation { continuation in
            let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
            let remaining = Atomic<Int>(count)
            for index in 0..<count {
                let thread = Thread {
                    let result = body(index)
                    results.withLock { $0[index] = result }
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                        continuation.resume(returning: results.withLock { $0.map { $0! } })
                    }
                }
                thread.stackSize = stackSize
                thread.name = "keytrail-worker-\(index)"
                thread.start()
            }
        }
    }
}
