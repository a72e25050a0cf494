#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a source ahead on a thread of its own when a core is spare, so that decompressing an input and scanning it
/// run on two cores.
///
/// A file read whole by libdeflate is one short step before its scan, and the work queue spreads such files over the
/// workers. A stream cannot be split that way: stdin, a FIFO, or a file too large to read whole is decompressed
/// (~0.45 s per GB of JSON a member at a time with libdeflate, ~1 s with zlib) and scanned (~0.7 s) one chunk after
/// the other by one worker, while the other cores wait. Behind this source, once the ``CoreBudget`` has a core to
/// spare (at once when the run has fewer inputs than cores, or when another worker runs out of files), the upstream
/// is read from there on by a producer thread into up to `depth` chunks, which the reader copies out in order. Until
/// then, and without a budget, the reader reads the upstream itself.
///
/// Bytes come out exactly as the upstream gives them, and an error it throws comes out after the bytes read before
/// it. Read ahead or not, the upstream is read in the same chunks (filled to `chunkBytes` unless it ends or fails),
/// and a read of at least a chunk returns one whole chunk: what a scan pulls, and what `observe` (run after each chunk
/// on the thread that filled it) reports as ``observed`` at any point, do not depend on whether or when a core was
/// spare. So a file that stops early reports the same counts with one job as with several.
///
/// Dropping the source stops the producer at its next chunk and gives its core back: a scan that stops early (a
/// structural error, a record too large) does not keep a stream being read. A producer blocked in a read of a pipe
/// that neither writes nor closes stays blocked until it does, without holding up the reader.
public final class ReadAheadSource<Observation: Sendable>: ByteSource {
    private let producer: Producer
    private let budget: CoreBudget?
    private let chunkBytes: Int
    private let depth: Int
    /// The chunks between the producer and the reader, once a producer thread runs.
    private var channel: Channel?
    /// The chunk being handed out, and how far.
    private var current: Chunk?
    private var offset = 0
    /// A chunk to fill in place of the reader's buffer when it asks for less than a chunk (no producer thread).
    private var spare: Chunk?

    /// What `observe` returned once the chunk holding the last bytes handed out was filled; nil before the first.
    public private(set) var observed: Observation?

    /// Wraps `upstream`; nothing is read until the first read.
    /// - Parameters:
    ///   - upstream: the source to read ahead; once a producer thread starts, only it touches the upstream.
    ///   - budget: where to take a core for the producer from; nil never starts one.
    ///   - chunkBytes: the size of each chunk read ahead.
    ///   - depth: how many chunks the producer may fill ahead of the reader (at least 2).
    ///   - observe: called after each chunk is filled, on the thread that filled it; its result travels with the
    ///     chunk.
    public init(
        _ upstream: any ByteSource, budget: CoreBudget?, chunkBytes: Int = 256 << 10, depth: Int = 16,
        observe: @escaping () -> Observation
    ) {
        precondition(chunkBytes > 0 && depth >= 2, "read-ahead needs positive chunks and a depth of at least 2")
        producer = Producer(upstream: upstream, observe: observe)
        self.budget = budget
        self.chunkBytes = chunkBytes
        self.depth = depth
    }

    deinit { channel?.cancel() }

    /// Whether a producer thread reads the upstream (from the first read after the budget had a core).
    public var readsOnAnotherThread: Bool { channel != nil }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if let chunk = current {
                if offset < chunk.count {
                    let n = min(buffer.count, chunk.count - offset)
                    base.copyMemory(from: chunk.bytes.baseAddress! + offset, byteCount: n)
                    offset += n
                    return n
                }
                if let error = chunk.error { throw error }
                if chunk.isEnd { return 0 }
                if let channel {
                    channel.giveBack(chunk)
                } else {
                    spare = chunk
                }
                current = nil
            }
            if let channel = channel ?? startProducer() {
                current = channel.takeFilled()
            } else if buffer.count >= chunkBytes {
                // A whole chunk, filled where the reader wants it: no copy.
                let filled = producer.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<chunkBytes]))
                observed = producer.observe()
                guard filled.count == 0 || filled.isEnd || filled.error != nil else { return filled.count }
                // Ended or failed: hand out the bytes now, the end or error on the next read.
                let last = Chunk(capacity: 0)
                (last.isEnd, last.error) = (filled.isEnd, filled.error)
                current = last
                offset = 0
                if filled.count > 0 { return filled.count }
                continue
            } else {
                let chunk = spare ?? Chunk(capacity: chunkBytes)
                spare = nil
                producer.fill(chunk)
                current = chunk
            }
            offset = 0
            observed = current!.observation
        }
    }

    /// Starts the producer thread if the budget has a core for it; nil if not (the upstream is read here).
    private func startProducer() -> Channel? {
        guard let budget, budget.tryAcquire() else { return nil }
        let channel = Channel(chunks: (0..<depth).map { _ in Chunk(capacity: chunkBytes) })
        let producer = producer
        guard startDetachedThread({ producer.run(channel, budget: budget) }) else {
            budget.release()
            return nil
        }
        self.channel = channel
        return channel
    }

    /// A buffer that travels between the producer and the reader.
    private final class Chunk: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
        var count = 0
        var isEnd = false
        var error: IngestError?
        var observation: Observation?

        init(capacity: Int) { bytes = .allocate(byteCount: capacity, alignment: 64) }
        deinit { bytes.deallocate() }
    }

    /// Free and filled chunks, under one mutex; filled ones in order.
    private final class Channel: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var free: [Chunk]
        private var filled: [Chunk] = []
        private var cancelled = false

        init(chunks: [Chunk]) {
            free = chunks
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(changed, nil)
        }

        deinit {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
        }

        /// A chunk to fill, once one is free; nil once the reader is gone.
        func takeFree() -> Chunk? {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while free.isEmpty && !cancelled { pthread_cond_wait(changed, mutex) }
            return cancelled ? nil : free.removeLast()
        }

        func putFilled(_ chunk: Chunk) {
            pthread_mutex_lock(mutex)
            filled.append(chunk)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }

        /// The next filled chunk, once there is one (the producer always ends with an end or an error chunk).
        func takeFilled() -> Chunk {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while filled.isEmpty { pthread_cond_wait(changed, mutex) }
            return filled.removeFirst()
        }

        func giveBack(_ chunk: Chunk) {
            pthread_mutex_lock(mutex)
            free.append(chunk)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }

        func cancel() {
            pthread_mutex_lock(mutex)
            cancelled = true
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }
    }

    /// The upstream and what to observe of it, read by the reader until a producer thread takes over.
    private final class Producer: @unchecked Sendable {
        let upstream: any ByteSource
        let observe: () -> Observation

        init(upstream: any ByteSource, observe: @escaping () -> Observation) {
            self.upstream = upstream
            self.observe = observe
        }

        /// The producer thread: fills free chunks until the upstream ends or fails or the reader is gone, then gives
        /// its core back.
        func run(_ channel: Channel, budget: CoreBudget) {
            defer { budget.release() }
            while let chunk = channel.takeFree() {
                fill(chunk)
                let last = chunk.isEnd || chunk.error != nil
                channel.putFilled(chunk)
                if last { return }
            }
        }

        /// Fills `chunk` from the upstream and records what `observe` says after.
        func fill(_ chunk: Chunk) {
            let filled = fill(chunk.bytes)
            (chunk.count, chunk.isEnd, chunk.error) = (filled.count, filled.isEnd, filled.error)
            chunk.observation = observe()
        }

        /// Reads the upstream until `room` is full, the upstream ends, or it fails.
        func fill(_ room: UnsafeMutableRawBufferPointer) -> (count: Int, isEnd: Bool, error: IngestError?) {
            var count = 0
            do throws(IngestError) {
                while count < room.count {
                    let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: room[count...]))
                    if n == 0 { return (count, true, nil) }
                    count += n
                }
            } catch {
                return (count, false, error)
            }
            return (count, false, nil)
        }
    }
}

/// A closure for a new thread, passed through `pthread_create`'s context pointer.
private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new detached POSIX thread; false if no thread could be created. (Not generic: a C function
/// pointer cannot capture a generic context.)
private func startDetachedThread(_ body: @escaping () -> Void) -> Bool {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
        &thread, nil,
        { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
    guard status == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}
