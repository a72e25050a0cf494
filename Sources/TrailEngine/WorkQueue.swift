import Synchronization
import TrailIngest

/// The files of a scan, handed out one at a time to whichever worker asks next.
///
/// Files much larger than the rest go first, largest first, so one of them does not start last and leave the
/// other cores idle; the rest keep discovery order, which in the S3 layout is chronological per account and
/// region, so a key's earliest event is usually seen first (fewer updates on the hot path). The merge does not
/// depend on the order.
final class WorkQueue: Sendable {
    /// Files at least this large are scheduled first.
    static let largeFileBytes: Int64 = 64 << 20

    private let files: [InputFile]
    private let nextIndex = Atomic<Int>(0)

    init(_ files: [InputFile]) {
        let isLarge = { (file: InputFile) in (file.size ?? .max) >= Self.largeFileBytes }
        let large = files.filter(isLarge).sorted { ($0.size ?? .max) > ($1.size ?? .max) }
        self.files = large + files.filter { !isLarge($0) }
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
