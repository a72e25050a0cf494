/// A reason to act on an access key or on what was done with it: one item of `keytrail.finding/1`.
public struct Finding: Sendable, Equatable {
    /// The schema identifier of one finding.
    public static let schema = "keytrail.finding/1"
    /// How many event IDs a finding lists; ``eventCount`` says how many contributed.
    public static let eventIDLimit = 50

    /// A stable hash of the rule and the subject, so a finding keeps its id across runs (for de-duplication).
    public var id: String
    /// The rule id (`unused-access-key`, `sigma:…`).
    public var rule: String
    public var severity: Severity
    /// One line for a person.
    public var title: String
    public var accessKeyId: String?
    public var principal: Principal?
    public var accountId: String?
    /// The first and last event that contributed, when events did.
    public var firstSeen: Int64?
    public var lastSeen: Int64?
    /// Rule-specific facts, as an object.
    public var evidence: JSONValue
    /// IDs of contributing events, at most ``eventIDLimit``.
    public var eventIds: EventIDList
    /// How many events contributed.
    public var eventCount: Int
    /// What to do about it.
    public var remediation: String
    public var references: [String]
    /// MITRE ATT&CK technique ids.
    public var attack: [String]

    public init(
        id: String, rule: String, severity: Severity, title: String, accessKeyId: String? = nil,
        principal: Principal? = nil, accountId: String? = nil, firstSeen: Int64? = nil, lastSeen: Int64? = nil,
        evidence: JSONValue = .object([]), eventIds: EventIDList = [], eventCount: Int = 0, remediation: String,
        references: [String] = [], attack: [String] = []
    ) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.title = title
        self.accessKeyId = accessKeyId
        self.principal = principal
        self.accountId = accountId
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.evidence = evidence
        self.eventIds = eventIds
        self.eventCount = eventCount
        self.remediation = remediation
        self.references = references
        self.attack = attack
    }

    /// A stable id from the parts that identify a finding (rule, key or principal, subject, time bucket).
    public static func stableID(_ parts: [String]) -> String {
        let joined = parts.joined(separator: "\u{1F}")
        let high = StableHash.hash(joined, seed: 0x6B65_7974_7261_696C)
        let low = StableHash.hash(joined, seed: 0x6669_6E64_696E_6773)
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Writes the finding as a `keytrail.finding/1` object.
    public func write(into writer: JSONWriter) {
        writer.beginObject()
        writer.field("schema", Self.schema)
        writer.field("id", id)
        writer.field("rule", rule)
        writer.field("severity", severity.rawValue)
        writer.field("title", title)
        writer.field("accessKeyId", accessKeyId)
        writer.key("principal")
        if let principal { principal.write(into: writer) } else { writer.null() }
        writer.field("accountId", accountId)
        writer.key("firstSeen")
        if let firstSeen { writer.timestamp(firstSeen) } else { writer.null() }
        writer.key("lastSeen")
        if let lastSeen { writer.timestamp(lastSeen) } else { writer.null() }
        writer.key("evidence")
        evidence.write(into: writer)
        writer.key("eventIds")
        eventIds.write(into: writer)
        writer.field("eventCount", eventCount)
        writer.field("remediation", remediation)
        writer.field("references", strings: references)
        writer.field("attack", strings: attack)
        writer.endObject()
    }

    /// The finding as one line of JSON (`--format jsonl`, webhook items).
    public var jsonLine: String {
        let writer = JSONWriter()
        write(into: writer)
        return writer.text
    }
}
