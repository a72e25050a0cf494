import TrailModel

/// What the event rules saw in some of the records: finding groups, windowed tallies and key lifecycle changes.
/// Associative and commutative to merge, like ``KeyActivity``.
public struct EventObservations: Sendable {
    var groups: [String: EventFindingGroup] = [:]
    var denied: [String: PrincipalWindows] = [:]
    var secrets: [String: PrincipalWindows] = [:]
    /// Matches of Sigma correlation rules, per correlation and group.
    var sigmaGroups: [String: SigmaCorrelationGroup] = [:]
    /// Key lifecycle changes, in no particular order.
    public internal(set) var lifecycle: [KeyLifecycleEvent] = []

    public init() {}

    /// Adds another worker's observations.
    public mutating func merge(_ other: EventObservations) {
        Self.merge(&groups, other.groups) { $0.merge($1) }
        Self.merge(&denied, other.denied) { $0.merge($1) }
        Self.merge(&secrets, other.secrets) { $0.merge($1) }
        Self.merge(&sigmaGroups, other.sigmaGroups) { $0.merge($1) }
        lifecycle += other.lifecycle
    }

    /// All of `parts` merged; each part is dropped once merged, so the parts' memory is freed as the merge goes.
    public static func merged(_ parts: consuming [EventObservations]) -> EventObservations {
        var merged = EventObservations()
        for index in parts.indices {
            merged.merge(parts[index])
            parts[index] = EventObservations()
        }
        return merged
    }

    /// Adds `theirs` to `mine`, combining the values of keys in both.
    private static func merge<Value>(
        _ mine: inout [String: Value], _ theirs: [String: Value], combine: (inout Value, Value) -> Void
    ) {
        // The first worker's dictionary is taken whole; then room for both at once, as growing a dictionary of tens
        // of thousands of principals step by step rehashed every name at each step (a third of this merge's time).
        if mine.isEmpty {
            mine = theirs
            return
        }
        mine.reserveCapacity(mine.count + theirs.count)
        for (key, value) in theirs {
            if let index = mine.index(forKey: key) { combine(&mine.values[index], value) } else { mine[key] = value }
        }
    }

    /// The findings of the event and windowed rules.
    /// - Parameters:
    ///   - configuration: thresholds and severities.
    ///   - knownAccounts: accounts that are not external (those in the logs and configured ones).
    public func findings(configuration: Configuration, knownAccounts: Set<String>) -> [Finding] {
        var findings: [Finding] = []
        for group in groups.values {
            guard let descriptor = configuration.descriptor(group.rule) else { continue }
            var group = group
            if group.rule == "role-trust-external-account" {
                guard let external = Self.externalAccounts(group, known: knownAccounts) else { continue }
                group.evidence = group.evidence.map {
                    $0.key == "trustedAccounts" ? .init("externalAccounts", .array(external.map(JSONValue.string))) : $0
                }
            }
            findings.append(group.finding(descriptor: descriptor))
        }
        for group in sigmaGroups.values {
            let correlation = configuration.sigma.correlations[group.correlation]
            guard configuration.isEnabled(correlation.ruleID) else { continue }
            let severity = configuration.severity(for: correlation.ruleID, chosen: correlation.severity)
            findings += group.findings(correlation, severity: severity)
        }
        let thresholds = configuration.thresholds
        if configuration.isEnabled("access-denied-burst") {
            findings += windowFindings(
                denied, rule: "access-denied-burst", seconds: thresholds.deniedBurstSeconds,
                configuration: configuration,
                measure: { $0.count }, qualifies: { $0.count >= thresholds.deniedBurstCount },
                title: { actor, burst in
                    "\(burst.peak) access-denied errors in \(thresholds.deniedBurstSeconds / 60) minutes by \(actor)"
                })
        }
        if configuration.isEnabled("secrets-bulk-read") {
            findings += windowFindings(
                secrets, rule: "secrets-bulk-read", seconds: thresholds.secretsSeconds, configuration: configuration,
                measure: { max($0.items.count, $0.batchCalls) },
                qualifies: {
                    $0.items.count >= thresholds.secretsDistinct || $0.batchCalls >= thresholds.secretsBatchCalls
                },
                title: { actor, burst in
                    "\(burst.total.items.count) secrets and \(burst.total.batchCalls) batch reads by \(actor) in minutes"
                })
        }
        return findings
    }

    private static func externalAccounts(_ group: EventFindingGroup, known: Set<String>) -> [String]? {
        guard let trusted = group.evidence.first(where: { $0.key == "trustedAccounts" })?.value.arrayValue else {
            return nil
        }
        let owner = group.accountId.map { Set([$0]) } ?? []
        let external = trusted.compactMap(\.stringValue).filter { !known.contains($0) && !owner.contains($0) }
        return external.isEmpty ? nil : external
    }

    private func windowFindings(
        _ tallies: [String: PrincipalWindows], rule: String, seconds: Int, configuration: Configuration,
        measure: (PrincipalWindows.Minute) -> Int, qualifies: (PrincipalWindows.Minute) -> Bool,
        title: (String, PrincipalWindows.Burst) -> String
    ) -> [Finding] {
        guard let descriptor = RuleCatalog.descriptor(rule) else { return [] }
        var findings: [Finding] = []
        for (actor, windows) in tallies {
            for burst in windows.bursts(
                windowMinutes: Int64(max(1, seconds / 60)), measure: measure, qualifies: qualifies)
            {
                let events = windows.minutes.filter { $0.key >= burst.start && $0.key <= burst.end }
                    .flatMap(\.value.events).sorted().prefix(Finding.eventIDLimit)
                let names = burst.total.names.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                var evidence: [JSONValue.Member] = [
                    .init("peakInWindow", .integer(Int64(burst.peak))),
                    .init("windowSeconds", .integer(Int64(seconds))),
                    .init("events", .integer(Int64(burst.total.count))),
                    .init("eventNames", .object(names.prefix(20).map { .init($0.key, .integer(Int64($0.value))) })),
                ]
                if !burst.total.items.isEmpty {
                    evidence.append(
                        .init("secrets", .array(burst.total.items.sorted().prefix(50).map(JSONValue.string))))
                }
                if burst.total.batchCalls > 0 {
                    evidence.append(.init("batchCalls", .integer(Int64(burst.total.batchCalls))))
                }
                let severity = configuration.severity(for: rule, chosen: descriptor.severity)
                findings.append(
                    Finding(
                        id: Finding.stableID([rule, actor, String(burst.start)]), rule: rule, severity: severity,
                        title: title(windows.principal.displayName, burst), accessKeyId: windows.accessKeyId,
                        principal: windows.principal, accountId: windows.accountId,
                        firstSeen: events.first?.time ?? burst.start * 60, lastSeen: (burst.end + 1) * 60 - 1,
                        evidence: .object(evidence), eventIds: EventIDList(events.map(\.eventID)),
                        eventCount: burst.total.count,
                        remediation: descriptor.remediation, references: descriptor.references,
                        attack: descriptor.attack))
            }
        }
        return findings
    }
}
