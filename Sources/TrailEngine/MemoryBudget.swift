import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--max-memory`: an approximate ceiling on the process's resident memory. Workers check it after each file; once
/// it is passed, every worker's aggregator admits only ``valuesAfterShedding`` new distinct source IPs, user agents
/// and regions per key (sampling the rest), so memory stops growing with the archive and keytrail goes on instead of
/// being killed. Keys themselves are never dropped: their count is what a scan must hold.
public final class MemoryBudget: Sendable {
    /// Distinct values per key and dimension admitted after the budget is passed.
    public static let valuesAfterShedding = 8

    /// The ceiling in bytes.
    public let limit: Int64
    /// The resident size when the ceiling was first found passed; 0 until then.
    private let residentWhenPassed = Atomic<Int64>(0)

    /// A budget of `limit` bytes.
    public init(limit: Int64) { self.limit = limit }

    /// Whether the process is at or over the budget now (or was before: shedding is not undone).
    public func isPassed() -> Bool {
        if residentWhenPassed.load(ordering: .relaxed) != 0 { return true }
        let resident = Self.residentBytes()
        guard resident >= limit else { return false }
        _ = residentWhenPassed.compareExchange(expected: 0, desired: resident, ordering: .relaxed)
        return true
    }

    /// The resident size when the budget was first passed, or nil if it never was.
    public var passedAt: Int64? {
        let value = residentWhenPassed.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// The process's resident set size: `/proc/self/statm` on Linux, the peak from `getrusage` elsewhere.
    static func residentBytes() -> Int64 {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                // "size resident shared …" in pages.
                let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
                if fields.count > 1, let pages = Int64(String(decoding: fields[1], as: UTF8.self)) {
                    return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
                }
            }
        }
        #endif
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Int64(usage.ru_maxrss)
        #else
        return Int64(usage.ru_maxrss) * 1_024
        #endif
    }
}
