/// A borrowed view of one CloudTrail record inside the scanner's buffer.
///
/// The scanner fills a view for every record and hands it to the consumer; the bytes it points to are reused as
/// soon as the consumer returns, so a consumer copies what it keeps (see ``CloudTrailEvent`` for an owned copy).
/// String fields are already unescaped; raw JSON fields are the member's text, parsed only by rules that need them.
///
/// The span table lives with the scanner, as the record's bytes do, and the view points to it. Held inline (216
/// bytes), it was copied to the stack whenever a field chosen at run time was read from a borrowed view, and with
/// every copy of the view; through a pointer, a read is one load and a copy is 64 bytes.
public struct EventView {
    /// Start of the record's bytes; every ``FieldSpan`` is relative to it.
    public var base: UnsafePointer<UInt8>
    /// One span per ``EventField`` (``EventField/count``), owned by whoever made the view; valid while it is.
    public let spans: UnsafeMutablePointer<FieldSpan>
    /// `eventTime` in seconds since 1970-01-01T00:00:00Z.
    public var eventTime: Int64
    /// `readOnly` as a boolean (CloudTrail writes it as a JSON boolean; some exports as `"true"`/`"True"`).
    public var readOnly: Bool?
    /// Zero-based index of the record in its file (counting every record, valid or not).
    public var recordIndex: Int
    /// Offset of the record's first byte in the file's decompressed stream.
    public var streamOffset: Int64
    /// The record's JSON as it was read, when the scanner kept it (see `ScanLimits.keepsRawRecords`): the record
    /// may have been unescaped in place, so `base` no longer holds valid JSON.
    public var rawRecord: UnsafeBufferPointer<UInt8>?

    /// Creates a view over `base` and the span table `spans` (``EventField/count`` initialized spans, owned by the
    /// caller, which marks them absent with ``clearSpans()`` before each record).
    @inlinable
    public init(base: UnsafePointer<UInt8>, spans: UnsafeMutablePointer<FieldSpan>) {
        self.base = base
        self.spans = spans
        self.eventTime = 0
        self.readOnly = nil
        self.recordIndex = 0
        self.streamOffset = 0
        self.rawRecord = nil
    }

    /// The span of `field` (set only by the parser that owns the table).
    @inlinable @inline(__always)
    public subscript(field: EventField) -> FieldSpan {
        get { spans[field.rawValue] }
        nonmutating set { spans[field.rawValue] = newValue }
    }

    /// Marks every field absent, for the next record.
    @inlinable
    public func clearSpans() { spans.update(repeating: .absent, count: EventField.count) }

    /// Whether the record has `field` with a non-null value.
    @inlinable @inline(__always)
    public func has(_ field: EventField) -> Bool { spans[field.rawValue].isPresent }

    /// The bytes of `field`, or nil when absent. Valid only while the view is.
    @inlinable @inline(__always)
    public func bytes(_ field: EventField) -> UnsafeBufferPointer<UInt8>? {
        let span = spans[field.rawValue]
        guard span.isPresent else { return nil }
        return UnsafeBufferPointer(start: base + Int(span.start), count: span.count)
    }

    /// The bytes of `field`, empty when absent.
    @inlinable @inline(__always)
    public func bytesOrEmpty(_ field: EventField) -> UnsafeBufferPointer<UInt8> {
        let span = spans[field.rawValue]
        guard span.isPresent else { return UnsafeBufferPointer(start: base, count: 0) }
        return UnsafeBufferPointer(start: base + Int(span.start), count: span.count)
    }

    /// The value of `field` as a String (invalid UTF-8 repaired), or nil when absent.
    public func string(_ field: EventField) -> String? {
        guard let bytes = bytes(field) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `field` is present, non-empty.
    @inlinable @inline(__always)
    public func isNonEmpty(_ field: EventField) -> Bool { spans[field.rawValue].count > 0 }

    /// Whether `field` equals `literal` byte for byte.
    @inlinable
    public func field(_ field: EventField, equals literal: StaticString) -> Bool {
        let span = spans[field.rawValue]
        guard span.isPresent, span.count == literal.utf8CodeUnitCount else { return false }
        return memoryEquals(base + Int(span.start), literal.utf8Start, span.count)
    }

    /// Whether `field` starts with `prefix`.
    @inlinable
    public func field(_ field: EventField, hasPrefix prefix: StaticString) -> Bool {
        let span = spans[field.rawValue]
        guard span.isPresent, span.count >= prefix.utf8CodeUnitCount else { return false }
        return memoryEquals(base + Int(span.start), prefix.utf8Start, prefix.utf8CodeUnitCount)
    }

    /// Whether `field` reads as true: the strings `true`/`True`/`TRUE`.
    @inlinable
    public func isTrue(_ field: EventField) -> Bool {
        let span = spans[field.rawValue]
        guard span.count == 4 else { return false }
        let p = base + Int(span.start)
        return (p[0] | 0x20) == UInt8(ascii: "t") && (p[1] | 0x20) == UInt8(ascii: "r")
            && (p[2] | 0x20) == UInt8(ascii: "u") && (p[3] | 0x20) == UInt8(ascii: "e")
    }

    /// Whether the record failed: it has a non-empty `errorCode`.
    @inlinable
    public var isError: Bool { spans[EventField.errorCode.rawValue].count > 0 }

    /// Whether the record shows the key itself in use: not a call a service made on the principal's behalf
    /// (`invokedBy`), not an `AwsServiceEvent`, not a console session (`sessionCredentialFromConsole`).
    @inlinable
    public var isDirectUse: Bool {
        !has(.invokedBy) && !field(.eventType, equals: "AwsServiceEvent") && !isTrue(.sessionCredentialFromConsole)
    }

    /// The hour of the day (UTC, 0–23) of `eventTime`.
    @inlinable
    public var hourOfDay: Int { Int(((eventTime % 86_400) + 86_400) % 86_400 / 3_600) }

    /// The day number (days since 1970-01-01, UTC) of `eventTime`.
    @inlinable
    public var dayNumber: Int32 { Int32(truncatingIfNeeded: Timestamp.floorDiv(eventTime, 86_400)) }
}

/// Byte-wise equality of two memory regions.
@inlinable
public func memoryEquals(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i &+ 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        i &+= 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}
