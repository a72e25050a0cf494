/// An owned copy of the fields of one CloudTrail record that keytrail reads.
///
/// ``EventView`` is the zero-copy form used on the hot path; this is what tests, rules that keep evidence and
/// diagnostics use once a record has to outlive the scanner's buffer.
public struct CloudTrailEvent: Sendable, Hashable {
    /// Every extracted field that was present, keyed by field.
    public var fields: [EventField: String]
    /// `eventTime` in seconds since the epoch.
    public var eventTime: Int64
    /// `readOnly`, when the record says.
    public var readOnly: Bool?
    /// The record's index in its file.
    public var recordIndex: Int

    /// Copies the fields out of a view.
    public init(_ view: EventView) {
        var fields: [EventField: String] = [:]
        for field in EventField.allCases {
            if let value = view.string(field) { fields[field] = value }
        }
        self.fields = fields
        self.eventTime = view.eventTime
        self.readOnly = view.readOnly
        self.recordIndex = view.recordIndex
    }

    /// The value of `field`, or nil when absent.
    public subscript(field: EventField) -> String? { fields[field] }
}
