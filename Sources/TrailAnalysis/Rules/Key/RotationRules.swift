import TrailModel

/// `access-key-not-rotated`: an active long-term key created or last rotated more than N days before `asOf`.
struct AccessKeyNotRotatedRule {
    static let id = "access-key-not-rotated"

    func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        let days = context.thresholds.rotationDays
        guard key.isLongTerm && !key.isRoot && key.status == .active, let created = key.created else { return nil }
        let age = KeyRuleContext.days(from: created, to: context.asOf)
        guard age > days else { return nil }
        return context.finding(
            Self.id, key: key, severity: age > 365 ? .high : nil,
            title: "Not rotated for \(age) days: \(key.phrase)",
            evidence: [
                .init("created", .string(Timestamp.format(created))), .init("ageDays", .integer(Int64(age))),
                .init("thresholdDays", .integer(Int64(days))),
            ])
    }
}

/// `multiple-active-keys`: a user with two active access keys.
struct MultipleActiveKeysRule {
    static let id = "multiple-active-keys"

    func evaluate(_ context: KeyRuleContext) -> [Finding] {
        var byUser: [String: [KnownKey]] = [:]
        for key in context.keys where key.isLongTerm && key.status == .active {
            byUser[key.isRoot ? InventoryKey.rootUserName : (key.userName ?? ""), default: []].append(key)
        }
        var findings: [Finding] = []
        for (user, keys) in byUser.sorted(by: { $0.key < $1.key }) where keys.count >= 2 && !user.isEmpty {
            let labels = keys.map(\.label)
            findings.append(
                context.finding(
                    Self.id, key: keys[0],
                    title:
                        "User \(user == InventoryKey.rootUserName ? "root" : user) has \(keys.count) active access keys",
                    evidence: [
                        .init("user", .string(user)), .init("keys", .array(labels.map(JSONValue.string))),
                        .init(
                            "lastUsed",
                            .array(keys.map { key in key.lastUse.map { .string(Timestamp.format($0)) } ?? .null })),
                    ], subject: "user:" + user))
        }
        return findings
    }
}
