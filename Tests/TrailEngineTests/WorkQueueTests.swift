import Testing
import TrailIngest

@testable import TrailEngine

@Suite("WorkQueue: which worker reads which file")
struct WorkQueueTests {
    /// A CloudTrail log file delivered at 00:`minute`0 on 2026-08-01 (a name sorts differently from its time when
    /// `region` does), of `size` bytes.
    static func log(_ minute: Int, region: String = "us-east-1", size: Int64? = 1_000) -> InputFile {
        let stamp = "20260801T\(String(format: "%02d%02d", minute / 6, minute % 6 * 10))Z"
        return InputFile(
            path: "AWSLogs/111122223333/CloudTrail/\(region)/2026/08/01/"
                + "111122223333_CloudTrail_\(region)_\(stamp)_\(minute).json.gz",
            size: size)
    }

    /// Every file in the order worker numbers in `askers` ask for them (cycling), and who got each.
    static func drain(_ queue: WorkQueue, askers: [Int]) -> [(worker: Int, file: InputFile)] {
        var taken: [(worker: Int, file: InputFile)] = []
        var finished = Set<Int>()
        var turn = 0
        while finished.count < Set(askers).count {
            let worker = askers[turn % askers.count]
            turn += 1
            guard !finished.contains(worker) else { continue }
            if let file = queue.next(worker: worker) {
                taken.append((worker, file))
            } else {
                finished.insert(worker)
            }
        }
        return taken
    }

    @Test("each worker reads its own stretch of the timeline forward; the cut falls at half the bytes")
    func stretches() {
        // Eight files in time order, given out of order and across regions. The first two hold half the bytes, so
        // worker 0's stretch is those two (by count it would be four).
        let files = [
            Self.log(5, region: "eu-west-1", size: 100), Self.log(0, size: 300), Self.log(7, size: 100),
            Self.log(1, region: "eu-west-1", size: 300), Self.log(6, region: "eu-west-1", size: 100),
            Self.log(2, size: 100), Self.log(4, size: 100), Self.log(3, region: "eu-west-1", size: 100),
        ]
        let queue = WorkQueue(files, workers: 2)
        let time = { (minute: Int) in Self.log(minute).archive.deliveryTime }
        #expect(queue.ordered.map(\.archive.deliveryTime) == (0..<8).map(time))
        // Asking in turns: worker 0 reads 0 and 1, then takes the later half of what is left of worker 1's stretch.
        let taken = Self.drain(queue, askers: [0, 1])
        let byWorker = { (worker: Int) in taken.filter { $0.worker == worker }.map(\.file.archive.deliveryTime) }
        #expect(byWorker(0) == [0, 1, 6, 7].map(time))
        #expect(byWorker(1) == [2, 3, 4, 5].map(time))
    }

    @Test("a worker done with its stretch takes the later half of the largest stretch left, never a file twice")
    func stealing() {
        let files = (0..<10).map { Self.log($0) }
        let queue = WorkQueue(files, workers: 2)
        // Worker 1 asks six times while worker 0 asks once: its own five, then half of worker 0's four left.
        var got: [Int: [Int64?]] = [0: [], 1: []]
        got[0]!.append(queue.next(worker: 0)?.archive.deliveryTime)
        for _ in 0..<6 { got[1]!.append(queue.next(worker: 1)?.archive.deliveryTime) }
        let time = { (minute: Int) in Self.log(minute).archive.deliveryTime }
        #expect(got[0]! == [time(0)])
        #expect(got[1]! == [time(5), time(6), time(7), time(8), time(9), time(3)])
        #expect(queue.notHandedOut == 3)
        let rest = Self.drain(queue, askers: [0, 1])
        #expect(rest.map(\.file.archive.deliveryTime).sorted { $0! < $1! } == [time(1), time(2), time(4)])
        #expect(queue.notHandedOut == 0)
        #expect(queue.next(worker: 0) == nil && queue.next(worker: 1) == nil)
    }

    @Test("every file is handed out exactly once, whatever the number of workers and the order they ask in")
    func exactlyOnce() {
        // Sizes vary (one unknown, one large); a worker that asks rarely still gets files and none is lost.
        var files = (0..<37).map { Self.log($0, size: Int64(100 + ($0 * 7919) % 5_000)) }
        files[11].size = nil
        files[20].size = WorkQueue.largeFileBytes
        for workers in 1...5 {
            for askers in [Array(0..<workers), [0] + Array(repeating: workers - 1, count: 5), [workers - 1, 0, 0]] {
                let queue = WorkQueue(files, workers: workers)
                let taken = Self.drain(queue, askers: askers)
                #expect(taken.count == files.count, "workers \(workers), askers \(askers)")
                #expect(Set(taken.map(\.file)) == Set(files), "workers \(workers), askers \(askers)")
                #expect(queue.notHandedOut == 0)
            }
        }
    }

    @Test("files of 64 MiB or more go first, largest first, to whichever worker asks")
    func largeFilesFirst() {
        let large = WorkQueue.largeFileBytes
        let files = [Self.log(0), Self.log(1, size: large), Self.log(2), Self.log(3, size: large * 2), Self.log(4)]
        let queue = WorkQueue(files, workers: 2)
        #expect(queue.next(worker: 1)?.size == large * 2)
        #expect(queue.next(worker: 1)?.size == large)
        #expect(queue.notHandedOut == 3)
        #expect(queue.next(worker: 0)?.archive.deliveryTime == Self.log(0).archive.deliveryTime)
    }
}
