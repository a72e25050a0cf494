import Dispatch
import TrailModel

/// Runs the key rules over the merged activity, the inventory and the lifecycle events.
public enum KeyRules {
    /// The ids of the key rules.
    public static let ids = RuleCatalog.all.filter { $0.kind == .key }.map(\.id)

    /// Whether any key rule runs under `configuration` (if none, the keys need not be assembled at all).
    public static func anyEnabled(_ configuration: Configuration) -> Bool {
        ids.contains(where: configuration.isEnabled)
    }

    /// The findings of every enabled key rule, allowlists applied.
    /// - Parameters:
    ///   - context: the keys and what to judge them by.
    ///   - threads: how many threads evaluate the per-key rules, each over a contiguous range of keys.
    public static func evaluate(_ context: KeyRuleContext, threads: Int = 1) -> [Finding] {
        let configuration = context.configuration
        let parts = max(1, min(threads, context.keys.count / 512 + 1))
        var partial = [[Finding]](repeating: [], count: parts)
        partial.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var slice = context
                let lower = context.keys.count * part / parts
                let upper = context.keys.count * (part + 1) / parts
                slice.keys = Array(context.keys[lower..<upper])
                output.value[part] = perKeyFindings(slice)
            }
        }
        var findings = partial.flatMap { $0 }
        if configuration.isEnabled(MultipleActiveKeysRule.id) { findings += MultipleActiveKeysRule().evaluate(context) }
        // Allowlists are rare: index the keys only when one applies.
        guard findings.contains(where: { !configuration.allowEntries(for: $0.rule).isEmpty }) else { return findings }
        let keysByID = Dictionary(
            context.keys.compactMap { key in key.accessKeyId.map { ($0, key) } }, uniquingKeysWith: { a, _ in a })
        return findings.filter { finding in
            let entries = configuration.allowEntries(for: finding.rule)
            guard !entries.isEmpty else { return true }
            let activity = finding.accessKeyId.flatMap { keysByID[$0]?.activity }
            let addresses = activity?.sourceIPs.entries.map(\.value) ?? []
            let agents = activity?.userAgents.entries.map(\.value) ?? []
            return !entries.contains {
                $0.matches(
                    accessKeyId: finding.accessKeyId, principalArn: finding.principal?.arn, addresses: addresses,
                    userAgents: agents)
            }
        }
    }

    /// The rules that judge each key on its own (all but multiple-active-keys, which groups keys by user).
    private static func perKeyFindings(_ context: KeyRuleContext) -> [Finding] {
        let configuration = context.configuration
        var findings: [Finding] = []
        if configuration.isEnabled(UnusedAccessKeyRule.id) { findings += UnusedAccessKeyRule().evaluate(context) }
        if configuration.isEnabled(AccessKeyNotRotatedRule.id) {
            findings += AccessKeyNotRotatedRule().evaluate(context)
        }
        if configuration.isEnabled(RootAccessKeyRule.id) { findings += RootAccessKeyRule().evaluate(context) }
        if configuration.isEnabled(LongTermKeyWorkloadRule.id) {
            findings += LongTermKeyWorkloadRule().evaluate(context)
        }
        if configuration.isEnabled(LongTermKeyManyNetworksRule.id) {
            findings += LongTermKeyManyNetworksRule().evaluate(context)
        }
        if configuration.isEnabled(AccessKeyUsedAfterDeactivationRule.id) {
            findings += AccessKeyUsedAfterDeactivationRule().evaluate(context)
        }
        return findings
    }
}
