import TrailModel

/// One record as Sigma rules read it: extracted fields straight from the scanner's view, raw members and the whole
/// record parsed at most once, and only when a rule that reached this record asks for them.
public struct SigmaEvent {
    public let view: EventView
    // Outer nil: not parsed yet (kept out of arrays so that a record costs no allocation).
    private var requestParameters: JSONValue??
    private var responseElements: JSONValue??
    private var additionalEventData: JSONValue??
    private var record: JSONValue??

    public init(view: EventView) { self.view = view }

    /// Calls `body` with each value at `path` (none when it is missing), until `body` returns true.
    /// - Returns: whether `body` returned true.
    mutating func anyValue(
        _ path: SigmaFieldPath, _ body: (SigmaValueKind, UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        switch path {
        case .field(let field):
            guard let bytes = view.bytes(field) else { return false }
            return body(.string, bytes)
        case .readOnly:
            guard let flag = view.readOnly else { return false }
            let text: StaticString = flag ? "true" : "false"
            return body(.bool(flag), UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case .member(let field, let components) where components.isEmpty:
            // The member itself: objects compare by their JSON text, which is the raw bytes as written.
            guard let bytes = view.bytes(field) else { return false }
            if let first = bytes.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                return body(.json, bytes)
            }
            return any(values(path), body)
        default:
            return any(values(path), body)
        }
    }

    /// The values at `path`: empty when it is missing; arrays flattened.
    mutating func values(_ path: SigmaFieldPath) -> [SigmaFieldValue] {
        var values: [SigmaFieldValue] = []
        switch path {
        case .field(let field):
            if let bytes = view.bytes(field) { values.append(.init(kind: .string, text: Array(bytes))) }
        case .readOnly:
            if let flag = view.readOnly { values.append(.init(kind: .bool(flag), text: Array("\(flag)".utf8))) }
        case .member(let field, let path):
            if let json = member(field) { SigmaFieldValue.collect(json, path: path[...], into: &values) }
        case .record(let path):
            if let json = rawRecord() { SigmaFieldValue.collect(json, path: path[...], into: &values) }
        }
        return values
    }

    /// The record's raw JSON text, when the scanner kept it.
    var rawText: UnsafeBufferPointer<UInt8>? { view.rawRecord }

    private func any(_ values: [SigmaFieldValue], _ body: (SigmaValueKind, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool
    {
        values.contains { value in value.text.withUnsafeBufferPointer { body(value.kind, $0) } }
    }

    private mutating func member(_ field: EventField) -> JSONValue? {
        switch field {
        case .requestParameters:
            if requestParameters == nil { requestParameters = .some(view.json(field)) }
            return requestParameters!
        case .responseElements:
            if responseElements == nil { responseElements = .some(view.json(field)) }
            return responseElements!
        default:
            if additionalEventData == nil { additionalEventData = .some(view.json(field)) }
            return additionalEventData!
        }
    }

    private mutating func rawRecord() -> JSONValue? {
        if record == nil { record = .some(view.rawRecord.flatMap { try? JSONValue.parse($0) }) }
        return record!
    }
}
