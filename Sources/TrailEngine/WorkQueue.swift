import Synchronization
import TrailIngest

/// The files of a scan, handed out one at a time to whichever worker asks next.
///
/// Files much larger than the rest go first, largest first, so one of them does not start last and leave the
/// other cores idle. The rest are put in order of the delivery time their AWS name or S3 folder gives (then discovery
/// order), and that timeline is cut into one stretch per worker, of about equal stored bytes. Each worker reads its
/// own stretch forward in time, so within a worker all accounts and regions advance through time together: a key's
/// events arrive roughly in order, its earliest event is met first, and the keys active at one time are in cache
/// together. Since most keys live for a short stretch of time (session credentials for about an hour), each worker
/// meets only the keys and role-hours of its stretch, not every key of the run: its tables stay smaller and the merge
/// after the scan has less to combine.
///
/// A worker that finishes its stretch takes the later half of what remains of the largest other stretch, so no core
/// idles while files are left. The merge does not depend on the order.
final class WorkQueue: Sendable {
    /// Files at least this large are scheduled first.
    static let largeFileBytes: Int64 = 64 << 20

    private let files: [InputFile]
    private let largeCount: Int
    private let state: Mutex<State>

    /// What is left to hand out: the large files from `nextLarge`, and each worker's stretch of `files`.
    private struct State {
        var nextLarge: Int
        /// Per worker, the range of `files` still to read, in order.
        var stretches: [Range<Int>]
    }

    /// - Parameters:
    ///   - files: the files to read.
    ///   - workers: how many workers will ask (``next(worker:)`` takes a worker number below it).
    init(_ files: [InputFile], workers: Int = 1) {
        let (large, rest) = Self.order(files)
        self.files = large + rest
        largeCount = large.count
        state = Mutex(
            State(nextLarge: 0, stretches: Self.stretches(rest, workers: max(1, workers), offset: large.count)))
    }

    /// The files in the order the queue hands them out (large files first, then the rest by delivery time), as
    /// checkpoints group them.
    static func ordered(_ files: [InputFile]) -> [InputFile] {
        let (large, rest) = order(files)
        return large + rest
    }

    /// The large files, largest first, and the rest in order of delivery time (then of `files`).
    private static func order(_ files: [InputFile]) -> (large: [InputFile], rest: [InputFile]) {
        let isLarge = { (file: InputFile) in (file.size ?? .max) >= Self.largeFileBytes }
        let large = files.filter(isLarge).sorted { ($0.size ?? .max) > ($1.size ?? .max) }
        let rest = files.enumerated().filter { !isLarge($0.element) }.map { entry in
            (
                time: entry.element.archive.deliveryTime ?? entry.element.archive.deliveryDay ?? .max,
                position: entry.offset, file: entry.element
            )
        }
        .sorted { ($0.time, $0.position) < ($1.time, $1.position) }.map(\.file)
        return (large, rest)
    }

    /// Cuts `files` into `workers` consecutive ranges of about equal stored bytes (files of unknown size count as
    /// the average), as indexes into the queue's list, which starts `offset` places earlier.
    private static func stretches(_ files: [InputFile], workers: Int, offset: Int) -> [Range<Int>] {
        let known = files.compactMap(\.size)
        let average = known.isEmpty ? 1 : max(1, known.reduce(0, +) / Int64(known.count))
        let sizes = files.map { max(1, $0.size ?? average) }
        let total = sizes.reduce(0, +)
        var bounds = [0]
        var sum: Int64 = 0
        for (index, size) in sizes.enumerated() {
            sum += size
            // The next cut falls after the file that reaches the next equal share.
            while bounds.count < workers && sum * Int64(workers) >= total * Int64(bounds.count) {
                bounds.append(index + 1)
            }
        }
        while bounds.count < workers + 1 { bounds.append(files.count) }
        bounds[workers] = files.count
        return (0..<workers).map { (offset + bounds[$0])..<(offset + bounds[$0 + 1]) }
    }

    /// The next file for worker `worker`, or nil when all are taken or a signal asked the run to stop (files in
    /// flight finish).
    func next(worker: Int = 0) -> InputFile? {
        guard !Interruption.isRequested else { return nil }
        let index: Int? = state.withLock { state in
            if state.nextLarge < largeCount {
                defer { state.nextLarge += 1 }
                return state.nextLarge
            }
            let own = worker % state.stretches.count
            if state.stretches[own].isEmpty {
                // Take the later half of the largest stretch left (by files): its owner keeps the earlier half.
                let largest = state.stretches.indices.max { state.stretches[$0].count < state.stretches[$1].count }!
                let range = state.stretches[largest]
                guard !range.isEmpty else { return nil }
                let middle = range.lowerBound + range.count / 2
                state.stretches[largest] = range.lowerBound..<middle
                state.stretches[own] = middle..<range.upperBound
            }
            defer { state.stretches[own] = (state.stretches[own].lowerBound + 1)..<state.stretches[own].upperBound }
            return state.stretches[own].lowerBound
        }
        return index.map { files[$0] }
    }

    /// How many files were never handed out (a signal stopped the run).
    var notHandedOut: Int {
        state.withLock { state in
            (largeCount - state.nextLarge) + state.stretches.reduce(0) { $0 + $1.count }
        }
    }

    /// The files in the order they are handed out (``ordered(_:)``).
    var ordered: [InputFile] { files }
}
