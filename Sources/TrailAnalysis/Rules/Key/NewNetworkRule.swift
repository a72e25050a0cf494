import TrailModel

/// `key-first-seen-from-new-network` (with a state store): a long-term key with an established history, used in this
/// run from a /24 (IPv4) or /48 (IPv6) network it had never been used from before.
///
/// "Established" means active on at least ``Thresholds/newNetworkBaselineDays`` earlier days whose networks were all
/// kept (a key seen from more networks than a day's set holds is the many-networks rule's business, and "new" means
/// nothing for it). Calls AWS services make for the key are not in the network sets, so they never count as new.
public enum NewNetworkRule {
    static let id = "key-first-seen-from-new-network"
    /// New networks named per key and run; more are counted in the evidence.
    static let listed = 10

    /// One key's activity before this run and with this run merged in.
    public struct Change: Sendable {
        public var before: KeyActivity
        public var after: KeyActivity

        public init(before: KeyActivity, after: KeyActivity) {
            self.before = before
            self.after = after
        }
    }

    /// The rule's findings over the keys a run touched; one per key and new network, allowlists applied.
    public static func evaluate(_ changes: [Change], configuration: Configuration) -> [Finding] {
        guard configuration.isEnabled(id), let descriptor = RuleCatalog.descriptor(id) else { return [] }
        let baselineDays = configuration.thresholds.newNetworkBaselineDays
        let entries = configuration.allowEntries(for: id)
        var findings: [Finding] = []
        for change in changes {
            let before = change.before
            let after = change.after
            guard after.kind == .longTerm, after.events > before.events else { continue }
            let knownDays = before.dailyNetworks.filter { !$0.value.prefixes.isEmpty }
            guard knownDays.count >= baselineDays, !knownDays.values.contains(where: \.overflowed) else { continue }
            let known = Set(knownDays.values.flatMap(\.prefixes))
            // Each new network with the first day this run saw it.
            var firstDay: [UInt64: Int32] = [:]
            for (day, networks) in after.dailyNetworks {
                let earlier = before.dailyNetworks[day]?.prefixes ?? []
                for prefix in networks.prefixes where !known.contains(prefix) && !earlier.contains(prefix) {
                    firstDay[prefix] = min(firstDay[prefix] ?? .max, day)
                }
            }
            let fresh = firstDay.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            for (prefix, day) in fresh.prefix(listed) {
                let network = NetworkPrefix.describe(prefix)
                let sample = NetworkPrefix.sampleAddress(prefix)
                if entries.contains(where: {
                    $0.matches(
                        accessKeyId: after.accessKeyID.value, principalArn: after.principal.arn, addresses: [sample],
                        userAgents: [])
                }) {
                    continue
                }
                let key = after.accessKeyID.value
                findings.append(
                    Finding(
                        id: Finding.stableID([id, key, network]), rule: id,
                        severity: configuration.severity(for: id, chosen: descriptor.severity),
                        title: "Long-term key \(key) used from a network it had never used: \(network)",
                        accessKeyId: key, principal: after.principal, accountId: after.principal.accountId,
                        firstSeen: Int64(day) * 86_400, lastSeen: after.lastSeen,
                        evidence: .object([
                            .init("network", .string(network)),
                            .init("firstDay", .string(Timestamp.formatDate(Int64(day) * 86_400))),
                            .init("knownNetworks", .integer(Int64(known.count))),
                            .init(
                                "knownNetworkList",
                                .array(known.sorted().prefix(20).map { .string(NetworkPrefix.describe($0)) })
                            ),
                            .init("daysOfHistory", .integer(Int64(knownDays.count))),
                            .init("historySince", .string(Timestamp.format(before.firstSeen))),
                            .init("newNetworksThisRun", .integer(Int64(fresh.count))),
                        ]),
                        eventIds: [], eventCount: after.events - before.events, remediation: descriptor.remediation,
                        references: descriptor.references, attack: descriptor.attack))
            }
        }
        return findings
    }
}
