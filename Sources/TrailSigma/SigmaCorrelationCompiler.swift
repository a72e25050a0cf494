import TrailAnalysis
import TrailModel
import Yams

/// Compiles a Sigma 2 correlation rule: resolves the rules it names (by id or name), its group-by fields and
/// aliases, timespan and condition.
enum SigmaCorrelationCompiler {
    static func correlation(_ node: Node, file: String, rules: [SigmaRule]) throws(SigmaProblem) -> SigmaCorrelation {
        let mapping = node.mapping!
        let metadata = try SigmaLoader.Metadata(mapping, file: file, node: node)
        guard let body = mapping["correlation"]?.mapping else {
            throw SigmaLoader.problem(file, mapping["correlation"], "correlation must be a mapping")
        }
        let typeName = body["type"]?.string ?? ""
        guard let kind = SigmaCorrelation.Kind(rawValue: typeName) else {
            throw SigmaLoader.problem(
                file, body["type"] ?? node,
                "correlation type \"\(typeName)\" is not one of "
                    + SigmaCorrelation.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let names = SigmaLoader.Metadata.strings(body["rules"])
        guard !names.isEmpty else { throw SigmaLoader.problem(file, body["rules"] ?? node, "correlation needs rules") }
        var indices: [Int] = []
        for name in names {
            guard let index = rules.firstIndex(where: { $0.id == name || $0.name == name }) else {
                throw SigmaLoader.problem(
                    file, body["rules"],
                    "the correlation refers to rule \"\(name)\", which was not loaded (give its file to --rules too)")
            }
            indices.append(index)
        }
        let groupBy = SigmaLoader.Metadata.strings(body["group-by"])
        var aliases: [String: [String: String]] = [:]
        if let aliasNode = body["aliases"] {
            guard let aliasMapping = aliasNode.mapping else {
                throw SigmaLoader.problem(file, aliasNode, "aliases must map an alias to {rule: field}")
            }
            for (key, value) in aliasMapping {
                guard let alias = key.string, let fields = value.mapping else {
                    throw SigmaLoader.problem(file, value, "aliases must map an alias to {rule: field}")
                }
                for (ruleKey, fieldValue) in fields {
                    guard let rule = ruleKey.string, let field = fieldValue.string else {
                        throw SigmaLoader.problem(file, fieldValue, "an alias maps a rule to a field name")
                    }
                    aliases[alias, default: [:]][rule] = field
                }
            }
        }
        func field(_ name: String, forRule index: Int) -> SigmaFieldPath {
            let rule = rules[index]
            let byRule = aliases[name] ?? [:]
            let mapped = byRule[rule.id] ?? rule.name.flatMap { byRule[$0] }
            return SigmaFieldPath(mapped ?? name)
        }
        let groupPaths = indices.map { index in groupBy.map { field($0, forRule: index) } }
        guard let timespanNode = body["timespan"], let timespan = seconds(timespanNode.string ?? "") else {
            throw SigmaLoader.problem(
                file, body["timespan"] ?? node, "timespan must be a number with s, m, h, d or w (such as 10m)")
        }
        var bounds: [SigmaCorrelation.Bound] = []
        var valueField = body["field"]?.string
        if let condition = body["condition"] {
            guard let conditionMapping = condition.mapping else {
                throw SigmaLoader.problem(
                    file, condition, "the correlation condition must be a mapping such as {gte: 10}")
            }
            for (key, value) in conditionMapping {
                let name = key.string ?? ""
                if name == "field" {
                    valueField = value.string
                    continue
                }
                guard let op = SigmaCorrelation.Bound.Operator(rawValue: name) else {
                    throw SigmaLoader.problem(file, key, "unknown condition \"\(name)\"; use gt, gte, lt, lte or eq")
                }
                guard let number = value.int, number >= 0 else {
                    throw SigmaLoader.problem(file, value, "\(name) takes a whole number")
                }
                bounds.append(.init(op, number))
            }
        }
        switch kind {
        case .eventCount, .valueCount:
            guard !bounds.isEmpty else {
                throw SigmaLoader.problem(file, body["condition"] ?? node, "\(kind.rawValue) needs a condition")
            }
        case .temporal, .temporalOrdered:
            if bounds.isEmpty { bounds = [.init(.gte, indices.count)] }
        }
        var valuePaths = [SigmaFieldPath?](repeating: nil, count: indices.count)
        if kind == .valueCount {
            guard let valueField else {
                throw SigmaLoader.problem(file, body["condition"] ?? node, "value_count needs condition.field")
            }
            valuePaths = indices.map { field(valueField, forRule: $0) }
        }
        var generate = false
        if let node = body["generate"] ?? mapping["generate"] {
            guard let value = flag(node) else {
                throw SigmaLoader.problem(file, node, "generate must be true or false")
            }
            generate = value
        }
        return SigmaCorrelation(
            id: metadata.id, title: metadata.title, description: metadata.description, severity: metadata.severity,
            references: metadata.references, attack: metadata.attack, file: file, kind: kind, rules: indices,
            groupBy: groupBy, groupPaths: groupPaths, valuePaths: valuePaths, timespan: timespan, bounds: bounds,
            generate: generate)
    }

    /// A boolean written plainly (`true`, `yes`, `on` and their opposites, as YAML 1.1 reads them); the loader's
    /// resolver leaves tags to the compilers.
    private static func flag(_ node: Node) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// `30s`, `10m`, `1h`, `2d`, `1w` in seconds.
    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else { return nil }
        switch unit {
        case "s": return number
        case "m": return number * 60
        case "h": return number * 3_600
        case "d": return number * 86_400
        case "w": return number * 604_800
        default: return nil
        }
    }
}
