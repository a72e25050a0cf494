import TrailModel

/// Why the parser stopped before the end of a token.
enum ScanInterrupt: Error {
    /// The bytes end before the current token does.
    case needMore
    /// The bytes cannot be JSON here; `at` is the offset from the start of the buffer.
    case malformed(String, at: Int)
    /// The input cannot be read further.
    case fatal(IngestError)
}

/// Parses records and skips values inside the scanner's buffer: the per-byte hot path.
///
/// A struct used as a local variable for the duration of one pass over the buffer, so its state changes are
/// checked statically rather than through the dynamic exclusivity checks that class properties need. Every loop
/// stops at the zero sentinel at `end`, and only then checks whether it ran out of data.
struct RecordParser {
    let bufferStart: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    let classes = JSONBytes.classes
    let recordTable = MemberTable.levels[MemberLevel.record.rawValue]
    let identityTable = MemberTable.levels[MemberLevel.userIdentity.rawValue]
    let sessionContextTable = MemberTable.levels[MemberLevel.sessionContext.rawValue]
    let sessionIssuerTable = MemberTable.levels[MemberLevel.sessionIssuer.rawValue]
    let attributesTable = MemberTable.levels[MemberLevel.attributes.rawValue]
    /// The stack of expected closing brackets while skipping nested values (grown on demand, owned by the scanner).
    var nesting: UnsafeMutablePointer<UInt8>
    var nestingCapacity: Int
    /// Called with the raw bytes of `userIdentity.accessKeyId` as soon as they are met (``RecordScanner/keyHint``).
    let keyHint: KeyHint?
    /// The name each level's objects had after each name last time (``MemberPredictions``), owned by the scanner.
    let predictions: MemberPredictions

    /// The record being parsed.
    var view: EventView
    var escapedFields: UInt32 = 0
    var stringHadEscape = false
    var fault: RecordProblem?

    init(
        bufferStart: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, nesting: UnsafeMutablePointer<UInt8>,
        nestingCapacity: Int, spans: UnsafeMutablePointer<FieldSpan>, keyHint: KeyHint?,
        predictions: MemberPredictions
    ) {
        self.keyHint = keyHint
        self.predictions = predictions
        self.bufferStart = bufferStart
        self.end = end
        self.nesting = nesting
        self.nestingCapacity = nestingCapacity
        self.view = EventView(base: bufferStart, spans: spans)
    }

    /// An interruption for malformed JSON at `p`.
    func malformed(_ message: String, _ p: UnsafePointer<UInt8>) -> ScanInterrupt {
        .malformed(message, at: p - bufferStart)
    }

    /// Parses the record object at `p` into ``view``, leaving its bytes as they are; ``finishRecord()`` then
    /// validates it and unescapes its fields in place.
    /// - Returns: the position after the record.
    mutating func parseRecord(at p: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        view.base = p
        view.clearSpans()
        view.readOnly = nil
        view.rawRecord = nil
        escapedFields = 0
        fault = nil
        return try scanObject(p, level: .record)
    }

    /// Checks a complete record, unescapes its escaped fields in place (its raw bytes are no longer valid JSON
    /// afterwards) and parses its time.
    /// - Returns: the problem that makes it invalid, or nil.
    mutating func finishRecord() -> RecordProblem? {
        if let fault { return fault }
        let timeSpan = view[.eventTime]
        guard timeSpan.isPresent else { return .missingEventTime }
        guard view[.eventName].count > 0 else { return .missingEventName }
        if escapedFields != 0 { unescapeFields() }
        let timeSpanNow = view[.eventTime]
        guard
            let time = Timestamp.parse(
                view.base + Int(timeSpanNow.start), count: timeSpanNow.count, allowDateOnly: false)
        else { return .unparsableEventTime }
        view.eventTime = time
        return nil
    }

    /// Scans an object whose members are matched against the table of `level`; returns the position after `}`.
    private mutating func scanObject(
        _ open: UnsafePointer<UInt8>, level: MemberLevel
    ) throws(ScanInterrupt) -> UnsafePointer<
        UInt8
    > {
        var p = skipWhitespace(open + 1)
        if p.pointee == JSONBytes.closeBrace { return p + 1 }
        let table = table(level)
        let guesses = predictions.level(level)
        // Where the last name is in `guesses`: 0 at the start, a name's index + 1 after it, table.count + 1 after a
        // name the table does not have.
        var previous = 0
        while true {
            guard p.pointee == JSONBytes.quote else {
                if p >= end { throw .needMore }
                throw malformed("expected a member name, found \(IngestError.describe(p.pointee))", p)
            }
            // CloudTrail writes a record's members in one order: the name that followed this one last time is
            // compared in place first, which spares scanning the name and looking it up.
            let action: MemberAction
            let nameEnd: UnsafePointer<UInt8>
            let guess = Int(guesses[previous])
            if guess >= 0, let after = table.matches(guess, at: p) {
                nameEnd = after
                action = table.action(at: guess)
                previous = guess + 1
            } else {
                nameEnd = try scanString(p)
                let index = stringHadEscape ? -1 : table.find(p + 1, count: nameEnd - p - 2)
                guesses[previous] = Int8(index)
                action = index < 0 ? .skip : table.action(at: index)
                previous = index < 0 ? table.count + 1 : index + 1
            }
            p = skipWhitespace(nameEnd)
            guard p.pointee == JSONBytes.colon else {
                if p >= end { throw .needMore }
                throw malformed("expected ':' after a member name", p)
            }
            p = skipWhitespace(p + 1)
            switch action {
            case .skip, .recognized:
                p = try skipValue(p)
            case .string(let field):
                p = try stringField(field, at: p)
            case .raw(let field):
                if view[field].isPresent { noteFault(.duplicateField) }
                let after = try skipValue(p)
                view[field] =
                    isNull(p, after)
                    ? .absent : FieldSpan(start: Int32(p - view.base), end: Int32(after - view.base))
                p = after
            case .object(let nested):
                p = p.pointee == JSONBytes.openBrace ? try scanObject(p, level: nested) : try skipValue(p)
            case .readOnly:
                p = try readOnlyField(at: p)
            }
            p = skipWhitespace(p)
            let c = p.pointee
            if c == JSONBytes.comma {
                p = skipWhitespace(p + 1)
                continue
            }
            if c == JSONBytes.closeBrace { return p + 1 }
            if p >= end { throw .needMore }
            throw malformed("expected ',' or '}' after a member, found \(IngestError.describe(c))", p)
        }
    }

    @inline(__always)
    private func table(_ level: MemberLevel) -> MemberTable {
        switch level {
        case .record: return recordTable
        case .userIdentity: return identityTable
        case .sessionContext: return sessionContextTable
        case .sessionIssuer: return sessionIssuerTable
        case .attributes: return attributesTable
        }
    }

    /// Records the span of a string member; any other value (null, number, object) leaves the field absent.
    @inline(__always)
    private mutating func stringField(
        _ field: EventField, at p: UnsafePointer<UInt8>
    ) throws(ScanInterrupt) -> UnsafePointer<
        UInt8
    > {
        guard p.pointee == JSONBytes.quote else {
            view[field] = .absent
            return try skipValue(p)
        }
        // Two values for one field: tools that keep the first and tools that keep the last would disagree.
        if view[field].isPresent { noteFault(.duplicateField) }
        let after = try scanString(p)
        view[field] = FieldSpan(start: Int32(p + 1 - view.base), end: Int32(after - 1 - view.base))
        // Called in place: `if let keyHint` copied the closure, a retain and a release of its context per record.
        if field == .accessKeyId { keyHint?(p + 1, after - p - 2) }
        let bit = UInt32(1) << UInt32(field.rawValue)
        if stringHadEscape { escapedFields |= bit } else { escapedFields &= ~bit }
        return after
    }

    /// `readOnly` is a JSON boolean in CloudTrail, a string (`"true"`, `"True"`) in some exports.
    private mutating func readOnlyField(at p: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        let after = try skipValue(p)
        var q = p
        var count = after - p
        if p.pointee == JSONBytes.quote {
            q = p + 1
            count -= 2
        }
        if count == 4 && (q[0] | 0x20) == UInt8(ascii: "t") {
            view.readOnly = true
        } else if count == 5 && (q[0] | 0x20) == UInt8(ascii: "f") {
            view.readOnly = false
        } else {
            view.readOnly = nil
        }
        return after
    }

    @inline(__always)
    private func isNull(_ p: UnsafePointer<UInt8>, _ after: UnsafePointer<UInt8>) -> Bool {
        after - p == 4 && p[0] == UInt8(ascii: "n")
    }

    /// Skips whitespace; stops at the zero sentinel at `end`.
    @inline(__always)
    func skipWhitespace(_ start: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = start
        while classes[Int(p.pointee)] == JSONBytes.ByteClass.whitespace.rawValue { p += 1 }
        return p
    }

    /// Skips one JSON value; returns the position after it.
    mutating func skipValue(_ p: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        let c = p.pointee
        if c == JSONBytes.quote { return try scanString(p) }
        if c == JSONBytes.openBrace || c == JSONBytes.openBracket { return try skipContainer(p) }
        var q = p
        while classes[Int(q.pointee)] == JSONBytes.ByteClass.scalar.rawValue { q += 1 }
        if q >= end { throw .needMore }
        if q == p { throw malformed("expected a value, found \(IngestError.describe(c))", p) }
        return q
    }

    /// Skips an object or array of any depth without recursion; returns the position after its closing bracket.
    private mutating func skipContainer(_ open: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        let classes = self.classes
        var stack = nesting
        var depth = 0
        var p = open
        while true {
            let c = p.pointee
            switch classes[Int(c)] {
            case JSONBytes.ByteClass.quote.rawValue:
                p = try scanString(p)
            case JSONBytes.ByteClass.punctuation.rawValue, JSONBytes.ByteClass.scalar.rawValue,
                JSONBytes.ByteClass.whitespace.rawValue:
                p += 1
            case JSONBytes.ByteClass.open.rawValue:
                // Too deep makes the record invalid; skipping it goes on without recursion (the stack costs a byte
                // a level, bounded by the record cap).
                if depth >= RecordProblem.maximumNesting { noteFault(.nestedTooDeep) }
                if depth == nestingCapacity { stack = growNesting() }
                // The closer that matches: '{' + 2 == '}', '[' + 2 == ']'.
                stack[depth] = c &+ 2
                depth += 1
                p += 1
            case JSONBytes.ByteClass.close.rawValue:
                guard stack[depth - 1] == c else {
                    throw malformed(
                        "\(IngestError.describe(c)) does not close \(IngestError.describe(stack[depth - 1] &- 2))", p)
                }
                depth -= 1
                p += 1
                if depth == 0 { return p }
            default:
                if p >= end { throw .needMore }
                throw malformed("unexpected \(IngestError.describe(c)) in a JSON value", p)
            }
        }
    }

    private mutating func growNesting() -> UnsafeMutablePointer<UInt8> {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: nestingCapacity * 2)
        grown.update(from: nesting, count: nestingCapacity)
        nesting.deallocate()
        nesting = grown
        nestingCapacity *= 2
        return grown
    }

    /// Scans the string whose opening quote is at `open`; returns the position after the closing quote and sets
    /// `stringHadEscape`. Problems inside the string (control bytes, bad escapes, invalid UTF-8) mark the record
    /// invalid but do not stop the scan: the record's extent is still known.
    @inline(__always)
    mutating func scanString(_ open: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        var p = open + 1
        stringHadEscape = false
        while true {
            let mask = JSONBytes.stringStopMask(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            if mask == 0 {
                p += 8
                continue
            }
            p += mask.trailingZeroBitCount >> 3
            let c = p.pointee
            if c == JSONBytes.quote { return p + 1 }
            p = try stringSlowPath(p)
        }
    }

    /// Handles the byte at `p` that stopped the fast loop (not a quote); returns where to continue.
    @inline(never)
    private mutating func stringSlowPath(_ p: UnsafePointer<UInt8>) throws(ScanInterrupt) -> UnsafePointer<UInt8> {
        if p >= end { throw .needMore }
        let c = p.pointee
        if c == JSONBytes.backslash {
            stringHadEscape = true
            if p + 1 >= end { throw .needMore }
            switch p[1] {
            case UInt8(ascii: "u"):
                if p + 6 > end { throw .needMore }
                for i in 2..<6 where JSONBytes.hexValue(p[i]) == nil {
                    noteFault(.invalidEscape)
                    return p + 2
                }
                return p + 6
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return p + 2
            default:
                noteFault(.invalidEscape)
                return p + 2
            }
        }
        if c < 0x20 {
            noteFault(.controlCharacter)
            return p + 1
        }
        let length = JSONBytes.utf8SequenceLength(p, end: end)
        if length < 0 { throw .needMore }
        if length == 0 {
            noteFault(.invalidUTF8)
            return p + 1
        }
        return p + length
    }

    @inline(__always)
    private mutating func noteFault(_ problem: RecordProblem) {
        if fault == nil { fault = problem }
    }

    /// Decodes the escape sequences of every escaped string field in place (the decoded text is never longer).
    private mutating func unescapeFields() {
        let writable = UnsafeMutablePointer(mutating: view.base)
        var remaining = escapedFields
        while remaining != 0 {
            let fieldIndex = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            let span = view.spans[fieldIndex]
            let newEnd = StringUnescaper.unescape(
                writable + Int(span.start), count: span.count)
            view.spans[fieldIndex] = FieldSpan(start: span.start, end: span.start + Int32(newEnd))
        }
    }
}
