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
                let lower = context.keys.count * part / parts
                let upper = context.keys.count * (part + 1) / parts
                output.value[part] = perKeyFindings(context, range: lower..<upper)
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

    /// The rules that judge each key on its own (all but multiple-active-keys, which groups keys by user), over the
    /// keys in `range`: one pass, each key read once and judged by every enabled rule. (A pass per rule copied each
    /// key record once per rule, a retain and a release of each of its strings and arrays every time.)
    private static func perKeyFindings(_ context: KeyRuleContext, range: Range<Int>) -> [Finding] {
        let configuration = context.configuration
        let unused = configuration.isEnabled(UnusedAccessKeyRule.id) ? UnusedAccessKeyRule() : nil
        let notRotated = configuration.isEnabled(AccessKeyNotRotatedRule.id) ? AccessKeyNotRotatedRule() : nil
        let root = configuration.isEnabled(RootAccessKeyRule.id) ? RootAccessKeyRule() : nil
        var workload = configuration.isEnabled(LongTermKeyWorkloadRule.id) ? LongTermKeyWorkloadRule() : nil
        let manyNetworks =
            configuration.isEnabled(LongTermKeyManyNetworksRule.id) ? LongTermKeyManyNetworksRule() : nil
        let usedAfterDeactivation =
            configuration.isEnabled(AccessKeyUsedAfterDeactivationRule.id)
            ? AccessKeyUsedAfterDeactivationRule() : nil
        var findings: [Finding] = []
        for index in range {
            let key = context.keys[index]
            if let finding = unused?.judge(key, in: context) { findings.append(finding) }
            if let finding = notRotated?.judge(key, in: context) { findings.append(finding) }
            if let finding = root?.judge(key, in: context) { findings.append(finding) }
            if let finding = workload?.judge(key, in: context) { findings.append(finding) }
            if let finding = manyNetworks?.judge(key, in: context) { findings.append(finding) }
            if let finding = usedAfterDeactivation?.judge(key, in: context) { findings.append(finding) }
        }
        return findings
    }
}
