/// Where a field's bytes lie, relative to the start of the record that holds them.
public struct FieldSpan: Sendable, Equatable {
    /// Offset of the first byte from ``EventView/base``; `-1` when the field is absent.
    public var start: Int32
    /// Offset one past the last byte.
    public var end: Int32

    /// The span of an absent field.
    public static let absent = FieldSpan(start: -1, end: -1)

    /// Creates a span from offsets relative to the record start.
    @inlinable
    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    /// Whether the record had the field (with a non-null value).
    @inlinable
    public var isPresent: Bool { start >= 0 }

    /// The number of bytes.
    @inlinable
    public var count: Int { Int(end &- start) }
}
