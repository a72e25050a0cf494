import TrailModel

/// Runs the event and windowed rules over one worker's records; hands back ``EventObservations`` to merge.
///
/// The per-record cost for a record no rule wants is a hash of its `eventName`, one table probe, a four-byte test
/// for the root user and one for a scanner's user agent; records with an `errorCode` also get a test for
/// access-denied codes. Only matching records are copied out of the scanner's buffer and parsed further.
public final class EventRuleEngine {
    private enum Action {
        case rule(any EventRule)
        case lifecycle
        case secretRead
        case secretBatch
    }

    private let configuration: Configuration
    /// The universal rules, as concrete values so that testing one per record copies nothing; nil when disabled.
    private let rootActivity: RootActivityRule?
    private let credentialScanner: CredentialScannerUserAgentRule?
    private let index: NameIndex
    private let actions: [[Action]]
    private let deniedEnabled: Bool
    private let secretsEnabled: Bool
    /// The Sigma rules' evaluator; it has nothing to do when ``hasSigma`` is false. (Not an optional: binding an
    /// optional reference retained and released it for every record.)
    private let sigma: SigmaEvaluator
    /// Whether any Sigma rule is loaded: derivable from the evaluator's rule set, and stored so that the test every
    /// record makes reads one field of the engine instead of following the evaluator to its set's array.
    private let hasSigma: Bool
    private var observations = EventObservations()
    /// Sigma rules' finding groups, kept apart until ``finish()`` so a repeat match updates one in place (noisy
    /// rules such as SigmaHQ's "AssumeRole misuse" match most records, nearly all into groups that exist).
    private let sigmaGroups = SigmaFindingGroups()
    /// Per Sigma rule, how it runs here: looked up once, not per match.
    private let sigmaSettings: [SigmaRuleSettings]

    private struct SigmaRuleSettings {
        let enabled: Bool
        /// Whether any allowlist entry applies to the rule; most often none does, and a match skips the lookup.
        let allowlisted: Bool
        /// The rule's level, or the configuration's override (Sigma matches do not choose their own).
        let severity: Severity
    }

    /// Creates an engine with the built-in rules that `configuration` leaves enabled.
    public init(configuration: Configuration) {
        self.configuration = configuration
        rootActivity = configuration.isEnabled(RootActivityRule().id) ? RootActivityRule() : nil
        credentialScanner =
            configuration.isEnabled(CredentialScannerUserAgentRule().id) ? CredentialScannerUserAgentRule() : nil
        deniedEnabled = configuration.isEnabled("access-denied-burst")
        secretsEnabled = configuration.isEnabled("secrets-bulk-read")
        sigma = SigmaEvaluator(set: configuration.sigma)
        hasSigma = !configuration.sigma.isEmpty
        sigmaSettings = configuration.sigma.rules.map { rule in
            SigmaRuleSettings(
                enabled: configuration.isEnabled(rule.ruleID),
                allowlisted: !configuration.allowEntries(for: rule.ruleID).isEmpty,
                severity: configuration.severity(for: rule.ruleID, chosen: rule.severity))
        }
        var byName: [String: [Action]] = [:]
        for rule in EventRules.indexed where configuration.isEnabled(rule.id) {
            for name in rule.eventNames { byName[name, default: []].append(.rule(rule)) }
        }
        for name in ["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"] {
            byName[name, default: []].append(.lifecycle)
        }
        if secretsEnabled {
            byName["GetSecretValue", default: []].append(.secretRead)
            byName["BatchGetSecretValue", default: []].append(.secretBatch)
        }
        let names = byName.keys.sorted()
        index = NameIndex(names)
        actions = names.map { byName[$0]! }
    }

    /// Inspects a record that a universal rule accepted.
    private func inspectUniversal<Rule: UniversalEventRule>(_ rule: Rule, _ event: borrowing EventView) {
        let copy = copy event
        if let match = rule.inspect(copy) { record(rule.id, match, copy) }
    }

    /// Inspects one record.
    public func inspect(_ event: borrowing EventView) {
        // Sigma rules see failed calls too: several test errorCode themselves.
        if hasSigma, case let matches = sigma.inspect(event), matches > 0 {
            for position in 0..<matches { recordSigma(sigma.matchedRule(position), event) }
        }
        if let rule = rootActivity, rule.accepts(event) { inspectUniversal(rule, event) }
        if let rule = credentialScanner, rule.accepts(event) { inspectUniversal(rule, event) }
        if event.isError {
            if deniedEnabled, let code = event.bytes(.errorCode), Self.isAccessDenied(code) {
                let copy = copy event
                if let actor = PrincipalWindows.actor(copy), !isAllowed("access-denied-burst", copy) {
                    if observations.denied[actor] == nil { observations.denied[actor] = PrincipalWindows(event: copy) }
                    observations.denied[actor]!.add(copy)
                }
            }
            return
        }
        guard let name = event.bytes(.eventName), let entry = index.entry(name) else { return }
        let copy = copy event
        for action in actions[entry] {
            switch action {
            case .rule(let rule):
                if let match = rule.inspect(copy) { record(rule.id, match, copy) }
            case .lifecycle:
                if let change = KeyLifecycleEvent.from(copy) { observations.lifecycle.append(change) }
            case .secretRead, .secretBatch:
                guard let actor = PrincipalWindows.actor(copy), !isAllowed("secrets-bulk-read", copy) else { continue }
                if observations.secrets[actor] == nil { observations.secrets[actor] = PrincipalWindows(event: copy) }
                if case .secretRead = action {
                    let secret = RuleSupport.string(copy.json(.requestParameters)?["secretId"]) ?? "unknown"
                    observations.secrets[actor]!.add(copy, item: secret)
                } else {
                    observations.secrets[actor]!.add(copy, batch: true)
                }
            }
        }
    }

    /// Counts a Sigma rule's match into its finding group; only the first match of a group (or one earlier than its
    /// first, whose evidence replaces the first's) builds the match.
    private func recordSigma(_ rule: Int, _ event: borrowing EventView) {
        let settings = sigmaSettings[rule]
        guard settings.enabled else { return }
        let principal = Self.principalBytes(event)
        let fingerprint = Self.sigmaFingerprint(rule, principal: principal, time: event.eventTime)
        // An allowlisted rule's every match is checked against the allowlist, so none is counted unseen.
        if !settings.allowlisted, let eventID = event.bytes(.eventID),
            sigmaGroups.addRepeat(
                fingerprint, time: event.eventTime, eventID: eventID, name: event.bytesOrEmpty(.eventName))
        {
            return
        }
        let ruleID = sigma.set.rules[rule].ruleID
        var sigmaEvent = SigmaEvent(view: copy event)
        if settings.allowlisted && isAllowed(ruleID, sigmaEvent.view) { return }
        let match = sigma.match(rule, &sigmaEvent)
        let view = sigmaEvent.view
        let actor = principal.isEmpty ? "unknown" : String(decoding: principal, as: UTF8.self)
        let key = EventFindingGroup.key(
            rule: ruleID, actor: actor, subject: match.subject, hour: Timestamp.floorDiv(view.eventTime, 3_600))
        sigmaGroups.add(key: key, fingerprint: fingerprint) {
            EventFindingGroup.start(
                rule: ruleID, actor: actor, subject: match.subject, time: view.eventTime,
                eventID: view.string(.eventID) ?? "", name: view.string(.eventName) ?? "", severity: settings.severity,
                match: match, event: view)
        }
    }

    /// What the engine saw; the engine starts empty again.
    public func finish() -> EventObservations {
        defer { observations = EventObservations() }
        if hasSigma { observations.sigmaGroups = sigma.takeCorrelations() }
        var taken = sigmaGroups.take()
        // A Sigma group's key never meets a built-in rule's (the rule is part of the key), so the two dictionaries
        // join: the smaller goes into the larger, which is kept whole.
        if observations.groups.count < taken.count { swap(&observations.groups, &taken) }
        observations.groups.merge(taken) { kept, _ in kept }
        return observations
    }

    /// A fingerprint of (rule, principal, hour), the key of a Sigma rule's finding group, without Strings.
    private static func sigmaFingerprint(_ rule: Int, principal: UnsafeBufferPointer<UInt8>, time: Int64) -> UInt64 {
        let hash = StableHash.hash(principal.baseAddress!, count: principal.count, seed: UInt64(rule) &+ 0x9E37_79B9)
        return hash ^ UInt64(bitPattern: Timestamp.floorDiv(time, 3_600)) &* 0x100_0000_01B3
    }

    /// Who a Sigma finding is about: the role behind an assumed-role session (one finding per role, not per
    /// session key), else the principal's ARN, else its key or id.
    private static func principalBytes(_ event: borrowing EventView) -> UnsafeBufferPointer<UInt8> {
        if event.isNonEmpty(.sessionIssuerArn) { return event.bytesOrEmpty(.sessionIssuerArn) }
        if event.isNonEmpty(.arn) { return event.bytesOrEmpty(.arn) }
        if event.isNonEmpty(.accessKeyId) { return event.bytesOrEmpty(.accessKeyId) }
        return event.bytesOrEmpty(.principalId)
    }

    /// Counts a built-in rule's match into its finding group (the engine only runs rules that are enabled).
    private func record(_ ruleID: String, _ match: EventMatch, _ event: EventView) {
        guard let descriptor = RuleCatalog.descriptor(ruleID), !isAllowed(ruleID, event) else { return }
        let severity = configuration.severity(for: ruleID, chosen: match.severity ?? descriptor.severity)
        let actor =
            event.string(.accessKeyId).flatMap { $0.isEmpty ? nil : $0 } ?? event.string(.arn)
            ?? event.string(.principalId) ?? "unknown"
        let key = EventFindingGroup.key(
            rule: ruleID, actor: actor, subject: match.subject, hour: Timestamp.floorDiv(event.eventTime, 3_600))
        let eventID = event.string(.eventID) ?? ""
        let name = event.string(.eventName) ?? ""
        // One lookup of the key for a group that exists, changed in place.
        if let index = observations.groups.index(forKey: key) {
            observations.groups.values[index].add(
                time: event.eventTime, eventID: eventID, name: name, severity: severity, match: match, event: event)
        } else {
            observations.groups[key] = EventFindingGroup.start(
                rule: ruleID, actor: actor, subject: match.subject, time: event.eventTime, eventID: eventID, name: name,
                severity: severity, match: match, event: event)
        }
    }

    private func isAllowed(_ ruleID: String, _ event: EventView) -> Bool {
        let entries = configuration.allowEntries(for: ruleID)
        guard !entries.isEmpty else { return false }
        let key = event.string(.accessKeyId)
        let arn = event.string(.arn)
        let addresses = event.string(.sourceIPAddress).map { [$0] } ?? []
        let agents = event.string(.userAgent).map { [$0] } ?? []
        return entries.contains {
            $0.matches(accessKeyId: key, principalArn: arn, addresses: addresses, userAgents: agents)
        }
    }

    /// `AccessDenied…`, `…UnauthorizedOperation`, `…NotAuthorized…` error codes.
    static func isAccessDenied(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        contains(code, "AccessDenied") || contains(code, "UnauthorizedOperation") || contains(code, "NotAuthorized")
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard haystack.count >= count, let base = haystack.baseAddress else { return false }
        for start in 0...(haystack.count - count) where memoryEquals(base + start, needle.utf8Start, count) {
            return true
        }
        return false
    }
}
