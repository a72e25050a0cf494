import TrailModel

/// Where a Sigma field name (`eventName`, `userIdentity.arn`, `requestParameters.userName`) is read from: a field
/// the scanner extracts, a path inside one of the raw JSON members, or any other path of the raw record.
public enum SigmaFieldPath: Sendable, Equatable, Hashable {
    /// A string field the scanner extracts from every record (no parsing).
    case field(EventField)
    /// `readOnly`, which the scanner reads as a boolean.
    case readOnly
    /// A path inside `requestParameters`, `responseElements` or `additionalEventData`; empty for the member itself.
    case member(EventField, [String])
    /// Any other path, read from the record's raw JSON (which the scanner then keeps for every record).
    case record([String])

    private static let extracted: [String: EventField] = Dictionary(
        uniqueKeysWithValues: EventField.allCases.filter { !$0.isRawJSON }.map { ($0.path, $0) })

    /// The location of a dotted Sigma field name.
    public init(_ name: String) {
        if let field = Self.extracted[name] {
            self = .field(field)
            return
        }
        if name == "readOnly" {
            self = .readOnly
            return
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "requestParameters": self = .member(.requestParameters, Array(parts.dropFirst()))
        case "responseElements": self = .member(.responseElements, Array(parts.dropFirst()))
        case "additionalEventData": self = .member(.additionalEventData, Array(parts.dropFirst()))
        default: self = .record(parts)
        }
    }

    /// Whether reading it needs the record's raw JSON kept (``ScanLimits/keepsRawRecords``).
    public var needsRawRecord: Bool {
        if case .record = self { return true }
        return false
    }

    /// The field name as a rule writes it.
    public var name: String {
        switch self {
        case .field(let field): return field.path
        case .readOnly: return "readOnly"
        case .member(let field, let path): return ([field.path] + path).joined(separator: ".")
        case .record(let path): return path.joined(separator: ".")
        }
    }
}
