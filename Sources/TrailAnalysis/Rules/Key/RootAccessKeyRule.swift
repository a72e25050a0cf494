import TrailModel

/// `root-access-key`: the root user has an active key (inventory), created one (a `CreateAccessKey` by root without
/// a target user), or signed calls with one (`AKIA` key of a `Root` identity).
struct RootAccessKeyRule {
    static let id = "root-access-key"

    func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        guard key.isRoot && key.isLongTerm else { return nil }
        var reasons: [JSONValue] = []
        if key.inventory?.isActive == true {
            reasons.append("the credential report lists an active root access key")
        }
        if let created = key.lifecycle.first(where: { $0.action == .created }) {
            reasons.append(.string("created by root at \(Timestamp.format(created.time))"))
        }
        if let activity = key.activity {
            reasons.append(
                .string(
                    "signed \(activity.events) calls from \(Timestamp.format(activity.firstSeen)) to "
                        + "\(Timestamp.format(activity.lastSeen))"))
        }
        guard !reasons.isEmpty, key.status != .deleted || key.activity != nil else { return nil }
        let account = key.activity?.principal.accountId ?? key.inventory?.userArn ?? "the account"
        var evidence: [JSONValue.Member] = [.init("reasons", .array(reasons))]
        if let activity = key.activity {
            evidence.append(
                .init(
                    "eventNames",
                    .object(
                        activity.eventNames.sortedByCount.prefix(10).map {
                            .init($0.value, .integer(Int64($0.count)))
                        })))
            evidence.append(
                .init("sourceIPs", .array(activity.sourceIPs.sortedByCount.prefix(10).map { .string($0.value) })))
        }
        return context.finding(
            Self.id, key: key, title: "Root user of \(account) has an access key (\(key.label))",
            evidence: evidence)
    }
}
