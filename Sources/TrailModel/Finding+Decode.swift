extension Finding {
    /// Rebuilds a finding from its `keytrail.finding/1` JSON (as stored in the alert ledger or a spooled batch).
    public init?(json: JSONValue) {
        guard json["schema"]?.stringValue == Finding.schema, let id = json["id"]?.stringValue,
            let rule = json["rule"]?.stringValue,
            let severity = json["severity"]?.stringValue.flatMap(Severity.init(rawValue:)),
            let title = json["title"]?.stringValue, let remediation = json["remediation"]?.stringValue
        else { return nil }
        let principal = json["principal"].flatMap { value -> Principal? in
            guard value.objectMembers != nil else { return nil }
            return Principal(
                type: value["type"]?.stringValue, arn: value["arn"]?.stringValue,
                userName: value["userName"]?.stringValue, accountId: value["accountId"]?.stringValue,
                sessionIssuerArn: value["sessionIssuerArn"]?.stringValue)
        }
        self.init(
            id: id, rule: rule, severity: severity, title: title, accessKeyId: json["accessKeyId"]?.stringValue,
            principal: principal, accountId: json["accountId"]?.stringValue,
            firstSeen: json["firstSeen"]?.stringValue.flatMap { Timestamp.parse($0) },
            lastSeen: json["lastSeen"]?.stringValue.flatMap { Timestamp.parse($0) },
            evidence: json["evidence"] ?? .object([]),
            eventIds: EventIDList(texts: json["eventIds"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            eventCount: Int(json["eventCount"]?.integerValue ?? 0), remediation: remediation,
            references: json["references"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            attack: json["attack"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
