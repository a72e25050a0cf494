import TrailModel

/// What kind of JSON value a field held, for matchers that care (numbers, booleans, null, objects).
public enum SigmaValueKind: Sendable, Equatable {
    case string
    case number(Double)
    case bool(Bool)
    case null
    /// An object or array; its text is its compact JSON.
    case json
}

/// A value found at a field path of a record, as Sigma compares it: a kind and a text.
public struct SigmaFieldValue: Sendable, Equatable {
    public var kind: SigmaValueKind
    /// The string's UTF-8 bytes; a number's, boolean's or object's JSON text; empty for null.
    public var text: [UInt8]

    public init(kind: SigmaValueKind, text: [UInt8]) {
        self.kind = kind
        self.text = text
    }

    /// The values of a JSON value as Sigma sees them: arrays are flattened (a field matches if any element does).
    static func collect(_ json: JSONValue, into values: inout [SigmaFieldValue]) {
        switch json {
        case .string(let text): values.append(.init(kind: .string, text: Array(text.utf8)))
        case .integer(let number): values.append(.init(kind: .number(Double(number)), text: Array(String(number).utf8)))
        case .number(let number): values.append(.init(kind: .number(number), text: Array(json.jsonText.utf8)))
        case .bool(let flag): values.append(.init(kind: .bool(flag), text: Array((flag ? "true" : "false").utf8)))
        case .null: values.append(.init(kind: .null, text: []))
        case .array(let elements):
            for element in elements { collect(element, into: &values) }
        case .object: values.append(.init(kind: .json, text: Array(json.jsonText.utf8)))
        }
    }

    /// The values at `path` below `json`, descending through arrays element by element.
    static func collect(_ json: JSONValue, path: ArraySlice<String>, into values: inout [SigmaFieldValue]) {
        guard let first = path.first else { return collect(json, into: &values) }
        switch json {
        case .object(let members):
            if let member = members.last(where: { $0.key == first }) {
                collect(member.value, path: path.dropFirst(), into: &values)
            }
        case .array(let elements):
            for element in elements { collect(element, path: path, into: &values) }
        default:
            return
        }
    }
}
