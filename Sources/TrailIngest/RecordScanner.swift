import TrailModel

#if canImport(Glibc)
import Glibc
#endif

/// A function the scanner calls with the raw bytes of an access key ID the moment it meets them.
public typealias KeyHint = (UnsafePointer<UInt8>, Int) -> Void

/// Splits a stream of CloudTrail JSON into records and extracts their fields, a buffer at a time.
///
/// The scanner owns one growable buffer. Decompressed bytes are appended to it in chunks; complete records are
/// scanned in place and handed to the consumer as ``EventView``s; a record cut by the end of the buffer is scanned
/// again once more bytes arrive. The retry waits until the pending bytes have doubled, so even one-byte chunks
/// cost linear time, and no more than one record (plus a chunk) is ever held. One scanner serves many files in
/// turn (one per worker), reusing its buffers.
///
/// The scanner checks what framing needs — nesting, strings, escapes, UTF-8 — and the top-level shape, but not the
/// full grammar of values it skips (a missing comma inside `requestParameters` goes unnoticed).
public final class RecordScanner {
    enum TopLevel: Equatable {
        case betweenValues
        case recordsArray(expectElement: Bool, isFirst: Bool)
        case afterRecords
        case skippingLine
    }

    static let padding = 64

    let limits: ScanLimits
    var storage: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// First unconsumed byte.
    var begin = 0
    /// One past the last valid byte.
    var limit = 0
    /// `storage + limit`; always followed by zero padding, the sentinel that stops every scanning loop.
    var end: UnsafePointer<UInt8>
    /// Offset in the decompressed stream of `storage[0]`.
    var streamBase: Int64 = 0
    var sourceEnded = false
    /// An error the source threw after handing out bytes in the same refill: thrown at the next refill, once those
    /// bytes are parsed.
    var deferredSourceError: IngestError?

    var nesting: UnsafeMutablePointer<UInt8>
    var nestingCapacity = 256
    let predictions = MemberPredictions()
    /// The span table of the view handed to the consumer, refilled for every record.
    let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: EventField.count)
    /// A copy of the current record's raw bytes, for records whose fields are unescaped in place.
    var rawCopy: UnsafeMutablePointer<UInt8>?
    var rawCapacity = 0

    /// Called with the raw bytes of each record's `userIdentity.accessKeyId` as soon as the parser meets them,
    /// before the rest of the record is parsed: a consumer that will look the key up can start loading what it needs
    /// while the scan goes on. A hint only: the record may yet prove invalid, and the bytes may still hold escapes.
    public var keyHint: KeyHint?

    var state = TopLevel.betweenValues
    var format = InputFormat.document
    var sawValue = false
    var summary = ScanSummary()

    /// Creates a scanner with its buffers.
    public init(limits: ScanLimits = .default) {
        self.limits = limits
        self.capacity = limits.inflateChunkBytes * 2
        self.storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + Self.padding)
        self.storage.initialize(repeating: 0, count: capacity + Self.padding)
        self.end = UnsafePointer(storage)
        self.nesting = UnsafeMutablePointer<UInt8>.allocate(capacity: nestingCapacity)
        spans.initialize(repeating: .absent, count: EventField.count)
    }

    deinit {
        storage.deallocate()
        nesting.deallocate()
        predictions.deallocate()
        spans.deallocate()
        rawCopy?.deallocate()
    }

    /// Reads `source` to its end, calling `onRecord` for every valid record.
    ///
    /// Invalid records are counted by reason and skipped; an error that stops the file ends the scan, and the
    /// summary says what was read before it. `onRecord` must not keep the view: its bytes are reused.
    /// - Parameters:
    ///   - source: the decompressed bytes.
    ///   - format: how the JSON is laid out.
    ///   - onRecord: called with each valid record.
    /// - Returns: counts, problems and the error that stopped the scan, if any.
    public func scan(
        _ source: any ByteSource, format: InputFormat, onRecord: (inout EventView) -> Void
    ) -> ScanSummary {
        reset(format: format)
        return drive(source, onRecord)
    }

    /// Scans a complete input held in memory, in place: the bytes are parsed (and unescaped) where they are.
    /// - Parameters:
    ///   - bytes: the input, followed by at least ``padding`` writable bytes, which become the sentinel.
    ///   - count: the number of input bytes.
    ///   - format: how the JSON is laid out.
    ///   - onRecord: called with each valid record.
    /// - Returns: counts, problems and the error that stopped the scan, if any.
    func scan(
        inPlace bytes: UnsafeMutablePointer<UInt8>, count: Int, format: InputFormat,
        onRecord: (inout EventView) -> Void
    ) -> ScanSummary {
        reset(format: format)
        let ownStorage = storage
        let ownCapacity = capacity
        defer {
            storage = ownStorage
            capacity = ownCapacity
            limit = 0
            end = UnsafePointer(storage)
        }
        storage = bytes
        capacity = count
        limit = count
        (bytes + count).update(repeating: 0, count: Self.padding)
        end = UnsafePointer(bytes + count)
        sourceEnded = true
        return drive(nil, onRecord)
    }

    private func drive(_ source: (any ByteSource)?, _ onRecord: (inout EventView) -> Void) -> ScanSummary {
        var wanted = 1
        while true {
            if let source, !sourceEnded && limit - begin < wanted {
                do throws(IngestError) {
                    try refill(from: source, wanted: wanted)
                } catch {
                    summary.error = error
                    break
                }
            }
            do throws(ScanInterrupt) {
                try step(onRecord)
            } catch {
                guard handle(error, wanted: &wanted) else { break }
            }
        }
        summary.bytesDecompressed = streamBase + Int64(limit)
        return summary
    }

    /// Reacts to an interruption of `step`; returns false when the scan of this input is over.
    private func handle(_ interrupt: ScanInterrupt, wanted: inout Int) -> Bool {
        switch interrupt {
        case .needMore:
            let pending = limit - begin
            if sourceEnded {
                summary.error = endOfInputError()
                return false
            }
            if pending > limits.maxRecordBytes {
                summary.error = .recordTooLarge(
                    recordIndex: summary.records + 1, limit: limits.maxRecordBytes, offset: offset(of: begin))
                return false
            }
            wanted = min(max(pending * 2, pending + 1), limits.maxRecordBytes + 1)
            return true
        case .malformed(let message, let position):
            if format == .lines && recover() {
                wanted = 1
                return true
            }
            summary.error = .malformedJSON(message, offset: offset(of: position))
            return false
        case .fatal(let error):
            summary.error = error
            return false
        }
    }

    private func reset(format: InputFormat) {
        self.format = format
        state = .betweenValues
        sawValue = false
        summary = ScanSummary()
        begin = 0
        limit = 0
        streamBase = 0
        sourceEnded = false
        deferredSourceError = nil
        storage.update(repeating: 0, count: Self.padding)
        end = UnsafePointer(storage)
    }

    /// The error for input that ended, or nil if it ended cleanly between values.
    private func endOfInputError() -> IngestError? {
        let rest = makeParser().skipWhitespace(UnsafePointer(storage) + begin)
        switch state {
        case .betweenValues where rest >= end:
            return sawValue || format == .lines ? nil : .emptyInput()
        case .skippingLine:
            return nil
        case .betweenValues:
            return .truncatedJSON(
                "inside record \(summary.records + 1), which starts here",
                offset: offset(of: rest - UnsafePointer(storage)))
        case .recordsArray(true, _) where rest < end:
            return .truncatedJSON(
                "inside record \(summary.records + 1), which starts here",
                offset: offset(of: rest - UnsafePointer(storage)))
        case .recordsArray, .afterRecords:
            return .truncatedJSON(
                "before the Records array is closed (after \(summary.records) records)",
                offset: offset(of: limit))
        }
    }

    /// In lines mode, counts the bad line as an invalid record and resumes at the next line.
    private func recover() -> Bool {
        guard state == .betweenValues else { return false }
        summary.records += 1
        summary.note(.malformedLine, record: summary.records, offset: offset(of: begin))
        begin += 1
        state = .skippingLine
        return true
    }

    @inline(__always)
    func offset(of index: Int) -> Int64 { streamBase + Int64(index) }

    private func makeParser() -> RecordParser {
        RecordParser(
            bufferStart: UnsafePointer(storage), end: end, nesting: nesting, nestingCapacity: nestingCapacity,
            spans: spans, keyHint: keyHint, predictions: predictions)
    }

    /// Parses the record at `p`; when it is complete, counts it and hands it to `onRecord` if it is valid.
    private func record(
        at p: UnsafePointer<UInt8>, _ parser: inout RecordParser, _ onRecord: (inout EventView) -> Void
    ) throws(ScanInterrupt) {
        let after = try parser.parseRecord(at: p)
        keepRawRecord(from: p, count: after - p, &parser)
        let problem = parser.finishRecord()
        let start = p - UnsafePointer(storage)
        if after - p > limits.maxRecordBytes {
            throw .fatal(
                .recordTooLarge(
                    recordIndex: summary.records + 1, limit: limits.maxRecordBytes, offset: offset(of: start)))
        }
        summary.records += 1
        begin = after - UnsafePointer(storage)
        if let problem {
            summary.note(problem, record: summary.records, offset: offset(of: start))
            return
        }
        parser.view.recordIndex = summary.records - 1
        parser.view.streamOffset = offset(of: start)
        onRecord(&parser.view)
    }

    /// Points the view at the record's raw JSON before its fields are unescaped in place: the buffer itself when
    /// nothing will change, a copy when fields will and ``ScanLimits/keepsRawRecords`` asks for one, else nothing.
    private func keepRawRecord(from p: UnsafePointer<UInt8>, count: Int, _ parser: inout RecordParser) {
        guard parser.escapedFields != 0 else {
            parser.view.rawRecord = UnsafeBufferPointer(start: p, count: count)
            return
        }
        guard limits.keepsRawRecords, count <= limits.maxRecordBytes else { return }
        if rawCapacity < count {
            rawCopy?.deallocate()
            rawCapacity = max(count, rawCapacity * 2, 4_096)
            rawCopy = UnsafeMutablePointer<UInt8>.allocate(capacity: rawCapacity)
        }
        rawCopy!.update(from: p, count: count)
        parser.view.rawRecord = UnsafeBufferPointer(start: rawCopy, count: count)
    }

    /// Compacts the buffer and reads until `wanted` bytes are pending or the source ends.
    ///
    /// A read that fails after others in the same call handed out bytes does not throw at once: the bytes read are
    /// parsed first and the error comes at the next refill. Otherwise which error a damaged file reports — its
    /// JSON's or its gzip checksum's — and how many records come before it would depend on how the decompressed
    /// bytes were chunked (found by the gzip fuzz target: zlib hands out a member's last bytes and then its bad
    /// checksum, and the whole-member path and zlib alone chunk them differently).
    private func refill(from source: any ByteSource, wanted: Int) throws(IngestError) {
        if let deferred = deferredSourceError {
            deferredSourceError = nil
            throw deferred
        }
        let pending = limit - begin
        if begin > 0 {
            if pending > 0 { memmove(storage, storage + begin, pending) }
            streamBase += Int64(begin)
            limit = pending
            begin = 0
        }
        let chunk = limits.inflateChunkBytes
        if capacity < wanted + chunk {
            let newCapacity = max(capacity * 2, wanted + chunk)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.padding)
            grown.update(from: storage, count: limit)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
        let held = limit
        repeat {
            let room = UnsafeMutableRawBufferPointer(start: storage + limit, count: min(chunk, capacity - limit))
            let n: Int
            do throws(IngestError) {
                n = try source.read(into: room)
            } catch {
                guard limit > held else { throw error }
                deferredSourceError = error
                break
            }
            if n == 0 {
                sourceEnded = true
            } else {
                limit += n
                if streamBase + Int64(limit) > limits.maxDecompressedBytes {
                    throw .decompressedTooLarge(limit: limits.maxDecompressedBytes)
                }
            }
        } while limit < wanted && !sourceEnded
        (storage + limit).update(repeating: 0, count: Self.padding)
        end = UnsafePointer(storage + limit)
    }

    /// Consumes as many top-level tokens and records as the buffer holds; throws `.needMore` when it runs out.
    private func step(_ onRecord: (inout EventView) -> Void) throws(ScanInterrupt) {
        let base = UnsafePointer(storage)
        var parser = makeParser()
        defer {
            nesting = parser.nesting
            nestingCapacity = parser.nestingCapacity
        }
        while true {
            switch state {
            case .betweenValues:
                var p = parser.skipWhitespace(base + begin)
                begin = p - base
                if p >= end { throw .needMore }
                if !sawValue && p[0] == 0xEF {
                    // A UTF-8 byte order mark.
                    if p + 3 > end { throw .needMore }
                    if p[1] == 0xBB && p[2] == 0xBF {
                        begin += 3
                        continue
                    }
                }
                if p.pointee == JSONBytes.openBrace {
                    try topLevelObject(at: p, &parser, onRecord)
                } else if format == .lines, p.pointee &- UInt8(ascii: "0") < 10 {
                    p = try skipLinePrefix(p, parser)
                    begin = p - base
                } else if p.pointee == JSONBytes.openBracket {
                    throw .fatal(.notCloudTrail("the top level is a JSON array", offset: offset(of: begin)))
                } else if format == .lines {
                    throw parser.malformed("a line does not start with {", p)
                } else if sawValue {
                    throw parser.malformed("unexpected \(IngestError.describe(p.pointee)) after the document", p)
                } else {
                    throw .fatal(.notJSON(found: p.pointee, offset: offset(of: begin)))
                }
            case .recordsArray(let expectElement, let isFirst):
                let p = parser.skipWhitespace(base + begin)
                begin = p - base
                if p >= end { throw .needMore }
                let c = p.pointee
                if expectElement && c == JSONBytes.openBrace {
                    try record(at: p, &parser, onRecord)
                    state = .recordsArray(expectElement: false, isFirst: false)
                } else if c == JSONBytes.closeBracket && (!expectElement || isFirst) {
                    begin += 1
                    state = .afterRecords
                } else if !expectElement && c == JSONBytes.comma {
                    begin += 1
                    state = .recordsArray(expectElement: true, isFirst: false)
                } else if expectElement && c != JSONBytes.closeBracket && c != JSONBytes.comma {
                    // A record that is not an object: count it, skip it.
                    let after = try parser.skipValue(p)
                    summary.records += 1
                    summary.note(.notAnObject, record: summary.records, offset: offset(of: begin))
                    begin = after - base
                    state = .recordsArray(expectElement: false, isFirst: false)
                } else {
                    let expected = expectElement ? "a record" : "',' or ']'"
                    throw parser.malformed(
                        "expected \(expected) in the Records array, found \(IngestError.describe(c))", p)
                }
            case .afterRecords:
                let p = parser.skipWhitespace(base + begin)
                begin = p - base
                if p >= end { throw .needMore }
                if p.pointee == JSONBytes.closeBrace {
                    begin += 1
                    state = .betweenValues
                } else if p.pointee == JSONBytes.comma {
                    try siblingOfRecords(at: p, &parser)
                } else {
                    throw parser.malformed("expected ',' or '}' after the Records array", p)
                }
            case .skippingLine:
                var p = base + begin
                while p < end && p.pointee != JSONBytes.newline { p += 1 }
                begin = p - base
                if p >= end { throw .needMore }
                begin += 1
                state = .betweenValues
            }
        }
    }

    /// Handles a `{` at the top level: a `{"Records":[` document, or an event object of a stream.
    private func topLevelObject(
        at p: UnsafePointer<UInt8>, _ parser: inout RecordParser, _ onRecord: (inout EventView) -> Void
    ) throws(ScanInterrupt) {
        let base = UnsafePointer(storage)
        let q = parser.skipWhitespace(p + 1)
        if q >= end { throw .needMore }
        guard q.pointee == JSONBytes.quote else {
            if format == .lines {
                try record(at: p, &parser, onRecord)
                return
            }
            throw .fatal(.notCloudTrail("the top-level object has no members", offset: offset(of: begin)))
        }
        let nameEnd = try parser.scanString(q)
        let nameCount = nameEnd - q - 2
        if nameCount == 7 && memoryEquals(q + 1, Self.recordsNameStorage, 7) {
            var r = parser.skipWhitespace(nameEnd)
            if r >= end { throw .needMore }
            guard r.pointee == JSONBytes.colon else { throw parser.malformed("expected ':' after \"Records\"", r) }
            r = parser.skipWhitespace(r + 1)
            if r >= end { throw .needMore }
            guard r.pointee == JSONBytes.openBracket else {
                throw .fatal(.notCloudTrail("\"Records\" is not an array", offset: offset(of: r - base)))
            }
            begin = r + 1 - base
            sawValue = true
            state = .recordsArray(expectElement: true, isFirst: true)
            return
        }
        if format == .document && MemberTable.eventMembers.action(q + 1, count: nameCount) != .recognized {
            let name = String(decoding: UnsafeBufferPointer(start: q + 1, count: min(nameCount, 64)), as: UTF8.self)
            throw .fatal(
                .notCloudTrail(
                    "the top-level object starts with \(JSONWriter.quoted(name)), not \"Records\"",
                    offset: offset(of: begin)))
        }
        sawValue = true
        try record(at: p, &parser, onRecord)
    }

    /// Handles `, "name": value` after a Records array: another Records array, or a member to skip.
    private func siblingOfRecords(at comma: UnsafePointer<UInt8>, _ parser: inout RecordParser) throws(ScanInterrupt) {
        let base = UnsafePointer(storage)
        var p = parser.skipWhitespace(comma + 1)
        if p >= end { throw .needMore }
        guard p.pointee == JSONBytes.quote else { throw parser.malformed("expected a member name", p) }
        let nameEnd = try parser.scanString(p)
        let isRecords = nameEnd - p - 2 == 7 && memoryEquals(p + 1, Self.recordsNameStorage, 7)
        p = parser.skipWhitespace(nameEnd)
        if p >= end { throw .needMore }
        guard p.pointee == JSONBytes.colon else { throw parser.malformed("expected ':' after a member name", p) }
        p = parser.skipWhitespace(p + 1)
        if p >= end { throw .needMore }
        if isRecords && p.pointee == JSONBytes.openBracket {
            begin = p + 1 - base
            state = .recordsArray(expectElement: true, isFirst: true)
        } else {
            begin = try parser.skipValue(p) - base
        }
    }

    /// Skips a CloudWatch Logs export timestamp (`2024-01-01T00:00:00.000Z {...}`) before an event.
    private func skipLinePrefix(
        _ p: UnsafePointer<UInt8>, _ parser: RecordParser
    ) throws(ScanInterrupt) -> UnsafePointer<
        UInt8
    > {
        var q = p
        while q < end && q - p < 64 {
            let c = q.pointee
            if c == JSONBytes.openBrace { return q }
            if c == JSONBytes.newline { break }
            q += 1
        }
        if q >= end && q - p < 64 { throw .needMore }
        throw parser.malformed("a line starts with neither { nor a timestamp followed by {", p)
    }

    nonisolated(unsafe) private static let recordsNameStorage: UnsafePointer<UInt8> = {
        let name = UnsafeMutablePointer<UInt8>.allocate(capacity: 8)
        name.initialize(from: Array("Records\0".utf8), count: 8)
        return UnsafePointer(name)
    }()
}
