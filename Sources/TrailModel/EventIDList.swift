/// The IDs of a finding's contributing events: a collection of their text, held as ``EventID`` values.
///
/// A finding reads as a list of Strings, but CloudTrail's UUIDs stay packed until they are written: after a scan with
/// SigmaHQ's rules, spelling out the 145,000 IDs of ~2,900 findings as Strings, and freeing them again, was one
/// allocation per ID and a visible part of the work after the scan.
public struct EventIDList: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Hashable {
    public private(set) var ids: [EventID]

    /// The list of `ids`, in order.
    public init(_ ids: [EventID]) { self.ids = ids }

    /// The list of the IDs whose text is `texts`, in order.
    public init<Texts: Sequence>(texts: Texts) where Texts.Element == String { ids = texts.map(EventID.init) }

    public init(arrayLiteral texts: String...) { self.init(texts: texts) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    /// The text of the ID at `position`.
    public subscript(position: Int) -> String { ids[position].string }

    /// Writes the IDs as an array of JSON strings, a UUID straight from its packed form.
    public func write(into writer: JSONWriter) {
        writer.beginArray()
        for id in ids { id.withBytes { writer.value(utf8: $0) } }
        writer.endArray()
    }
}
