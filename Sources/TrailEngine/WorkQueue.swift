import Synchronization
import TrailIngest

/// The files of a scan, handed out one at a time to whichever worker asks next.
///
/// Files much larger than the rest go first, largest first, so one of them does not start last and leave the
/// other cores idle. The rest go in order of the delivery time their AWS name or S3 folder gives (then discovery
/// order), so all accounts and regions advance through time together: a key's events arrive roughly in order, its
/// earliest event is met first, and the keys active at one time are in cache together. The merge does not depend
/// on the order.
final class WorkQueue: Sendable {
    /// Files at least this large are scheduled first.
    static let largeFileBytes: Int64 = 64 << 20

    private let files: [InputFile]
    private let nextIndex = Atomic<Int>(0)

    init(_ files: [InputFile]) {
        let isLarge = { (file: InputFile) in (file.size ?? .max) >= Self.largeFileBytes }
        let large = files.filter(isLarge).sorted { ($0.size ?? .max) > ($1.size ?? .max) }
        let rest = files.enumerated().filter { !isLarge($0.element) }.map { entry in
            (
                time: entry.element.archive.deliveryTime ?? entry.element.archive.deliveryDay ?? .max,
                position: entry.offset, file: entry.element
            )
        }
        self.files = large + rest.sorted { ($0.time, $0.position) < ($1.time, $1.position) }.map(\.file)
    }

    /// The next file, or nil when all are taken or a signal asked the run to stop (files in flight finish).
    func next() -> InputFile? {
        guard !Interruption.isRequested else { return nil }
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < files.count ? files[index] : nil
    }

    /// How many files were never handed out (a signal stopped the run).
    var notHandedOut: Int { max(0, files.count - nextIndex.load(ordering: .relaxed)) }

    /// The files in the order they are handed out.
    var ordered: [InputFile] { files }

    /// The number of files.
    var count: Int { files.count }

    /// Their total size as stored, where known.
    var totalBytes: Int64 { files.reduce(0) { $0 + ($1.size ?? 0) } }
}
