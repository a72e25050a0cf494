import Foundation
import Synchronization
import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Reading a stream ahead on a spare core")
struct ReadAheadSourceTests {
    /// Set when a source is freed.
    final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
        func set() { value.store(true, ordering: .sequentiallyConsistent) }
    }

    /// Serves `bytes` in reads of at most `chunkSize`, then fails with `error` if given (else ends), counting what it
    /// served; a stream that never ends when `endless`.
    final class ScriptedSource: ByteSource, @unchecked Sendable {
        let bytes: [UInt8]
        let chunkSize: Int
        let error: IngestError?
        let endless: Bool
        var served = 0
        let released: Flag

        init(_ bytes: [UInt8], chunkSize: Int, error: IngestError? = nil, endless: Bool = false, released: Flag) {
            self.bytes = bytes
            self.chunkSize = chunkSize
            self.error = error
            self.endless = endless
            self.released = released
        }

        deinit { released.set() }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
            let position = endless ? served % bytes.count : served
            let n = min(buffer.count, chunkSize, bytes.count - position)
            if n == 0 {
                if let error { throw error }
                return 0
            }
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
            served += n
            return n
        }
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Reads `source` to its end (or error) with reads of varying sizes.
    static func drain<O>(_ source: ReadAheadSource<O>) -> (bytes: [UInt8], error: IngestError?) {
        var out: [UInt8] = []
        var sizes = [1, 7, 4_096, 100_000, 333]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100_000, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            sizes.append(sizes.removeFirst())
            do throws(IngestError) {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<sizes[0]]))
                if n == 0 { return (out, nil) }
                out += buffer[0..<n]
            } catch {
                return (out, error)
            }
        }
    }

    /// One read of up to `count` bytes (an error counts as none).
    static func readOnce<O>(_ source: ReadAheadSource<O>, _ count: Int) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        defer { buffer.deallocate() }
        let n = (try? source.read(into: buffer)) ?? 0
        return Array(buffer[0..<n])
    }

    @Test("bytes come out as the upstream gave them, through chunks smaller and larger than the reads")
    func sameBytes() {
        let bytes = Self.randomBytes(3_000_017, seed: 1)
        for (chunkBytes, depth) in [(4_096, 2), (65_536, 4), (1 << 20, 3)] {
            let cores = CoreBudget(cores: 1)
            let upstream = ScriptedSource(bytes, chunkSize: 10_000, released: Flag())
            let source = ReadAheadSource(upstream, budget: cores, chunkBytes: chunkBytes, depth: depth) {
                upstream.served
            }
            let result = Self.drain(source)
            #expect(source.readsOnAnotherThread)
            #expect(result.error == nil)
            // Compared first: on a mismatch, the expectation's diff of megabytes would take minutes.
            let same = result.bytes == bytes
            #expect(same, "chunks of \(chunkBytes), depth \(depth)")
            #expect(source.observed == bytes.count)
        }
    }

    @Test("without a spare core the upstream is read in place, and a core given back mid-stream starts the producer")
    func upgradeMidStream() {
        let bytes = Self.randomBytes(1_000_003, seed: 2)
        let cores = CoreBudget(cores: 0)
        let upstream = ScriptedSource(bytes, chunkSize: 50_000, released: Flag())
        let source = ReadAheadSource(upstream, budget: cores, chunkBytes: 8_192, depth: 2) { upstream.served }
        var out: [UInt8] = []
        for _ in 0..<5 { out += Self.readOnce(source, 30_000) }
        #expect(!source.readsOnAnotherThread)
        #expect(out.count == 5 * 8_192, "a read of more than a chunk returns one chunk")
        #expect(source.observed == 5 * 8_192, "read in place, the counters are this thread's")
        cores.release()
        let rest = Self.drain(source)
        #expect(source.readsOnAnotherThread)
        #expect(cores.available == 1, "the producer gave its core back at the end")
        #expect(rest.error == nil)
        let same = out + rest.bytes == bytes
        #expect(same)
    }

    @Test("an upstream error comes out after every byte read before it, and again on later reads")
    func errorAfterBytes() {
        let bytes = Self.randomBytes(200_000, seed: 3)
        let failure = IngestError.readFailed("Input/output error (errno 5)", fileOffset: 200_000)
        let upstream = ScriptedSource(bytes, chunkSize: 7_777, error: failure, released: Flag())
        let source = ReadAheadSource(upstream, budget: CoreBudget(cores: 1), chunkBytes: 16_384, depth: 3) {}
        let result = Self.drain(source)
        #expect(source.readsOnAnotherThread)
        let same = result.bytes == bytes
        #expect(same)
        #expect(result.error == failure)
        #expect(Self.drain(source).error == failure)
    }

    @Test("dropping the reader stops the producer, frees the upstream and gives the core back")
    func stopsWhenDropped() async throws {
        let cores = CoreBudget(cores: 1)
        let released = Flag()
        do {
            let upstream = ScriptedSource(
                Self.randomBytes(10_000, seed: 4), chunkSize: 4_096, endless: true, released: released)
            let source = ReadAheadSource(upstream, budget: cores, chunkBytes: 4_096, depth: 2) {}
            for _ in 0..<10 { #expect(Self.readOnce(source, 4_096).count == 4_096) }
            #expect(source.readsOnAnotherThread)
            #expect(cores.available == 0)
        }
        // The producer notices at its next chunk; allow a loaded machine plenty of time.
        for _ in 0..<500 where cores.available == 0 || !released.isSet {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(cores.available == 1)
        #expect(released.isSet)
    }

    @Test("a reader with a spare core gives the same events, counts and errors as one without")
    func readerEquivalence() {
        let document = RecordBuilder.document((0..<4_000).map { i in RecordBuilder { $0.eventName = "Call\(i)" } })
        let gzip = Gzip.compress(document, level: 1)
        var corrupt = gzip
        for i in (gzip.count / 2)..<(gzip.count / 2 + 40) { corrupt[i] ^= 0x5A }
        let limits = ScanLimits(readChunkBytes: 4_096, inflateChunkBytes: 8_192)
        for (name, bytes) in [
            ("plain", Array(document.utf8)), ("gzip", gzip), ("corrupt", corrupt),
            ("truncated", Array(gzip.prefix(9_000))),
        ] {
            // No core to spare, as a one-job run's reader has it.
            let alone = LogFileReader(limits: limits, cores: CoreBudget(cores: 0))
            let cores = CoreBudget(cores: 1)
            let helped = LogFileReader(limits: limits, cores: cores)
            var expected: [CloudTrailEvent] = []
            let expectedSummary = alone.read(bytes: bytes, chunkSize: 3_001) { expected.append(CloudTrailEvent($0)) }
            var events: [CloudTrailEvent] = []
            let summary = helped.read(bytes: bytes, chunkSize: 3_001) { events.append(CloudTrailEvent($0)) }
            #expect(!expected.isEmpty, "\(name)")
            #expect(events == expected, "\(name)")
            #expect(summary == expectedSummary, "\(name)")
            #expect((expectedSummary.error != nil) == (name == "corrupt" || name == "truncated"), "\(name)")
        }
    }
}
