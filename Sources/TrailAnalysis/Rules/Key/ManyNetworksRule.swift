import TrailModel

/// `long-term-key-many-networks`: a long-term key used from more distinct /24 (IPv4) or /48 (IPv6) networks in one
/// day than the threshold. Reports the busiest day and how many days crossed the threshold.
struct LongTermKeyManyNetworksRule {
    static let id = "long-term-key-many-networks"

    func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        let threshold = context.thresholds.networksPerDay
        guard let activity = key.activity, activity.kind == .longTerm else { return nil }
        let days = activity.dailyNetworks.filter { $0.value.count > threshold }
        guard let busiest = days.max(by: { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }) else {
            return nil
        }
        let day = Timestamp.formatDate(Int64(busiest.key) * 86_400)
        let count = busiest.value.count
        return context.finding(
            Self.id, key: key,
            title:
                "Long-term key \(key.label) used from \(count)\(busiest.value.overflowed ? "+" : "") networks on \(day)",
            evidence: [
                .init("day", .string(day)), .init("networks", .integer(Int64(count))),
                .init(
                    "networkList", .array(busiest.value.prefixes.map { .string(NetworkPrefix.describe($0)) })),
                .init("daysOverThreshold", .integer(Int64(days.count))),
                .init("thresholdPerDay", .integer(Int64(threshold))),
            ])
    }
}
