/// A JSON value with object members kept in order: what rules read from `requestParameters` and write as evidence.
///
/// Not `indirect`: arrays already hold the nested values out of line, and an indirect enum boxed every value on
/// the heap, a box to allocate for each and to retain and release at each read (rendering findings spent ~40% of
/// its time on reference counts).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of member `key` of an object (the last one, if a name repeats), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Element `index` of an array, or nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The boolean, if this is one (or the string `true`/`false`, case-insensitive).
    public var boolValue: Bool? {
        switch self {
        case .bool(let flag): return flag
        case .string(let text) where text.lowercased() == "true": return true
        case .string(let text) where text.lowercased() == "false": return false
        default: return nil
        }
    }

    /// The integer, if this is a whole number.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value) where value == value.rounded() && abs(value) < 9e18: return Int64(value)
        default: return nil
        }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, if this is an object.
    public var objectMembers: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// This value as a list: the elements of an array, or the value itself (AWS writes a single `Grant` as an
    /// object and several as an array).
    public var asList: [JSONValue] {
        if case .array(let elements) = self { return elements }
        if case .null = self { return [] }
        return [self]
    }

    /// A JSON document held in a string (IAM policies arrive this way), parsed; other values as they are.
    public var decodingEmbeddedJSON: JSONValue {
        guard case .string(let text) = self, let first = text.first(where: { !$0.isWhitespace }),
            first == "{" || first == "["
        else { return self }
        return (try? JSONValue.parse(text)) ?? self
    }

    /// Every string in this value, depth first (for searching a document for a value).
    public var allStrings: [String] {
        switch self {
        case .string(let text): return [text]
        case .array(let elements): return elements.flatMap(\.allStrings)
        case .object(let members): return members.flatMap(\.value.allStrings)
        default: return []
        }
    }

    /// Writes the value.
    public func write(into writer: JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let flag): writer.value(flag)
        case .integer(let value): writer.value(value)
        case .number(let value): writer.value(value)
        case .string(let text): writer.value(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(into: writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(into: writer)
            }
            writer.endObject()
        }
    }

    /// Compact JSON text.
    public var jsonText: String {
        let writer = JSONWriter()
        write(into: writer)
        return writer.text
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member($0.0, $0.1) })
    }
}
