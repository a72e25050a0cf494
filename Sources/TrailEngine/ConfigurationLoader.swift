import Foundation
import TrailAnalysis
import TrailModel
import Yams

/// Reads `keytrail.yml`: thresholds, severities, disabled rules, allowlists. Strict: a misspelt rule id, threshold
/// or key is an error naming the file and line, not a setting silently ignored.
///
/// ```yaml
/// profile: cis                 # standard (default) or cis
/// thresholds:
///   unusedDays: 60
///   networksPerDay: 8
/// rules:
///   root-activity:
///     severity: critical
///   access-denied-burst:
///     enabled: false
///   long-term-key-workload:
///     allow:
///       - principalArn: "arn:aws:iam::*:user/legacy-*"
///         reason: migrating to roles in Q1
/// allow:                       # for every rule
///   - cidr: 10.0.0.0/8
///     userAgent: "*prowler*"
/// knownAccounts: ["999988887777"]
/// ```
public enum ConfigurationLoader {
    /// A configuration problem, with the file and line.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let line: Int?
        public let reason: String
        public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)" }
    }

    nonisolated(unsafe) static let thresholdKeys: [String: WritableKeyPath<Thresholds, Int>] = [
        "unusedDays": \.unusedDays, "graceDays": \.graceDays, "rotationDays": \.rotationDays,
        "networksPerDay": \.networksPerDay, "workloadMinimumEvents": \.workloadMinimumEvents,
        "workloadNetworks": \.workloadNetworks, "deniedBurstCount": \.deniedBurstCount,
        "deniedBurstSeconds": \.deniedBurstSeconds, "secretsDistinct": \.secretsDistinct,
        "secretsBatchCalls": \.secretsBatchCalls, "secretsSeconds": \.secretsSeconds,
        "deactivationGraceSeconds": \.deactivationGraceSeconds,
        "newNetworkBaselineDays": \.newNetworkBaselineDays,
    ]

    /// Loads `path`; a `profile` given on the command line wins over the file's. `sigma` are the Sigma rules
    /// loaded with `--rules`, whose `sigma:<id>`s the file may configure.
    public static func load(
        path: String, profile: Configuration.Profile? = nil, sigma: SigmaRuleSet = SigmaRuleSet()
    ) throws(LoadError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, line: nil, reason: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, profile: profile, sigma: sigma)
    }

    /// Parses configuration text.
    public static func parse(
        _ text: String, path: String, profile commandLineProfile: Configuration.Profile? = nil,
        sigma: SigmaRuleSet = SigmaRuleSet()
    ) throws(LoadError) -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw LoadError(path: path, line: nil, reason: "not valid YAML: \(error)")
        }
        guard let root else {
            var configuration = Configuration(profile: commandLineProfile ?? .standard)
            configuration.sigma = sigma
            return configuration
        }
        guard let top = root.mapping else { throw error(path, root, "the file must be a mapping of settings") }
        let profileNode = top["profile"]
        var profile = commandLineProfile ?? .standard
        if commandLineProfile == nil, let profileNode {
            guard let name = profileNode.string, let parsed = Configuration.Profile(rawValue: name) else {
                throw error(path, profileNode, "profile must be one of: standard, cis")
            }
            profile = parsed
        }
        var configuration = Configuration(profile: profile)
        configuration.sigma = sigma
        for (key, value) in top {
            switch key.string ?? "" {
            case "profile": continue
            case "thresholds": try applyThresholds(value, to: &configuration, path: path)
            case "rules": try applyRules(value, to: &configuration, path: path)
            case "allow": configuration.allowlist = try allowEntries(value, path: path)
            case "knownAccounts":
                for account in value.sequence ?? [] {
                    guard let text = account.string, text.count == 12, text.allSatisfy(\.isNumber) else {
                        throw error(path, account, "knownAccounts holds 12-digit account ids")
                    }
                    configuration.knownAccounts.insert(text)
                }
            default:
                throw error(
                    path, key,
                    "unknown setting \"\(key.string ?? "")\"; expected profile, thresholds, rules, allow, knownAccounts"
                )
            }
        }
        return configuration
    }

    private static func applyThresholds(
        _ node: Node, to configuration: inout Configuration, path: String
    )
        throws(LoadError)
    {
        guard let mapping = node.mapping else { throw error(path, node, "thresholds must be a mapping") }
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard let keyPath = thresholdKeys[name] else {
                throw error(
                    path, key,
                    "unknown threshold \"\(name)\"; expected one of \(thresholdKeys.keys.sorted().joined(separator: ", "))"
                )
            }
            guard let number = value.int, number > 0 else {
                throw error(path, value, "\(name) must be a positive integer")
            }
            configuration.thresholds[keyPath: keyPath] = number
        }
    }

    private static func applyRules(
        _ node: Node, to configuration: inout Configuration, path: String
    )
        throws(LoadError)
    {
        guard let mapping = node.mapping else { throw error(path, node, "rules must be a mapping of rule ids") }
        for (key, value) in mapping {
            let id = key.string ?? ""
            guard RuleCatalog.descriptor(id) != nil || configuration.sigma.descriptor(id) != nil else {
                if id.hasPrefix("sigma:") {
                    throw error(
                        path, key, "unknown Sigma rule \"\(id)\" (load its file with --rules before --config applies)")
                }
                throw error(path, key, "unknown rule \"\(id)\" (keytrail rules list shows every rule id)")
            }
            guard let settings = value.mapping else { throw error(path, value, "rule \(id) must be a mapping") }
            for (settingKey, setting) in settings {
                switch settingKey.string ?? "" {
                case "enabled":
                    guard let enabled = setting.bool else {
                        throw error(path, setting, "enabled must be true or false")
                    }
                    if enabled {
                        configuration.disabledRules.remove(id)
                    } else {
                        configuration.disabledRules.insert(id)
                    }
                case "severity":
                    guard let name = setting.string, let severity = Severity(rawValue: name.lowercased()) else {
                        throw error(path, setting, "severity must be one of: info, low, medium, high, critical")
                    }
                    configuration.severityOverrides[id] = severity
                case "allow":
                    configuration.ruleAllowlists[id, default: []] += try allowEntries(setting, path: path)
                default:
                    throw error(
                        path, settingKey,
                        "unknown setting \"\(settingKey.string ?? "")\" for rule \(id); expected enabled, severity, allow"
                    )
                }
            }
        }
    }

    private static func allowEntries(_ node: Node, path: String) throws(LoadError) -> [AllowEntry] {
        guard let sequence = node.sequence else { throw error(path, node, "allow must be a list of entries") }
        var entries: [AllowEntry] = []
        for item in sequence {
            guard let mapping = item.mapping else { throw error(path, item, "an allow entry must be a mapping") }
            var entry = AllowEntry()
            for (key, value) in mapping {
                guard let text = value.string else { throw error(path, value, "allow values are strings") }
                switch key.string ?? "" {
                case "accessKeyId": entry.accessKeyId = text
                case "principalArn": entry.principalArn = text
                case "userAgent": entry.userAgent = text
                case "reason": entry.reason = text
                case "cidr":
                    guard let cidr = CIDR(text) else { throw error(path, value, "\"\(text)\" is not a CIDR network") }
                    entry.cidr = cidr
                default:
                    throw error(
                        path, key,
                        "unknown allow condition \"\(key.string ?? "")\"; expected accessKeyId, principalArn, cidr, userAgent, reason"
                    )
                }
            }
            guard entry.accessKeyId != nil || entry.principalArn != nil || entry.cidr != nil || entry.userAgent != nil
            else {
                throw error(
                    path, item, "an allow entry needs at least one of accessKeyId, principalArn, cidr, userAgent")
            }
            entries.append(entry)
        }
        return entries
    }

    private static func error(_ path: String, _ node: Node, _ reason: String) -> LoadError {
        LoadError(path: path, line: node.mark.map { $0.line }, reason: reason)
    }
}
