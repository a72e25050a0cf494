import Synchronization
import TrailIngest

/// The files of a scan, handed out one at a time to whichever worker asks next.
///
/// Files are ordered largest first, so a big file does not start last and leave the other cores idle
/// (longest-processing-time-first scheduling); the merge does not depend on the order.
final class WorkQueue: Sendable {
    private let files: [InputFile]
    private let nextIndex = Atomic<Int>(0)

    init(_ files: [InputFile]) {
        self.files = files.enumerated().sorted { a, b in
            let sizeA = a.element.size ?? .max
            let sizeB = b.element.size ?? .max
            return sizeA != sizeB ? sizeA > sizeB : a.offset < b.offset
        }.map(\.element)
    }

    /// The next file, or nil when all are taken.
    func next() -> InputFile? {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < files.count ? files[index] : nil
    }

    /// The number of files.
    var count: Int { files.count }

    /// Their total size as stored, where known.
    var totalBytes: Int64 { files.reduce(0) { $0 + ($1.size ?? 0) } }
}
