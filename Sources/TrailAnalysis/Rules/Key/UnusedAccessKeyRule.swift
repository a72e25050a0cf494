import TrailModel

/// `unused-access-key`: an active long-term key with no direct use in the last N days before `asOf`, or never used,
/// combining the logs with the credential report's last-used date. Keys created or rotated within the grace period
/// are not yet judged. A key seen only in the logs (no inventory says it is active) is reported at low severity
/// with a note to confirm its status.
struct UnusedAccessKeyRule {
    static let id = "unused-access-key"

    func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        let days = context.thresholds.unusedDays
        let limit = context.asOf - Int64(days) * 86_400
        let grace = context.asOf - Int64(context.thresholds.graceDays) * 86_400
        guard key.isLongTerm && !key.isRoot else { return nil }
        guard key.status == .active || key.status == .unknown else { return nil }
        if let created = key.created, created > grace { return nil }
        let lastUse = key.lastUse
        if let lastUse, lastUse >= limit { return nil }
        // A key known only from the logs has been used; one never seen in use must be known some other way.
        guard lastUse != nil || key.status == .active else { return nil }
        var evidence: [JSONValue.Member] = [
            .init("status", .string(key.status == .active ? "active" : "unknown (not in any inventory)")),
            .init("thresholdDays", .integer(Int64(days))),
        ]
        let title: String
        if let lastUse {
            let idle = KeyRuleContext.days(from: lastUse, to: context.asOf)
            evidence.append(.init("lastUsed", .string(Timestamp.format(lastUse))))
            evidence.append(.init("daysUnused", .integer(Int64(idle))))
            title = "Unused for \(idle) days: \(key.phrase)"
        } else {
            evidence.append(.init("lastUsed", .null))
            title = "Never used: \(key.phrase)"
        }
        if let created = key.created { evidence.append(.init("created", .string(Timestamp.format(created)))) }
        if let service = key.inventory?.lastUsedService {
            evidence.append(.init("lastUsedService", .string(service)))
        }
        if key.status == .unknown {
            evidence.append(
                .init(
                    "note",
                    .string(
                        "no inventory lists this key; pass the credential report with --inventory to confirm it is still active"
                    )))
        }
        let notes = context.coverageNotes(days: days)
        if !notes.isEmpty { evidence.append(.init("coverage", .array(notes))) }
        return context.finding(
            Self.id, key: key, severity: key.status == .unknown ? .low : nil, title: title, evidence: evidence)
    }

    static func owner(_ key: KnownKey) -> String { key.userName ?? (key.isRoot ? "root" : "an unknown user") }
}
