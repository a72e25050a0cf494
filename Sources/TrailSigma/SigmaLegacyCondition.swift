/// Advice for rules in the retired aggregation syntax (`selection | count() by field > N` with `timeframe`): the
/// Sigma 2 correlation rule that says the same thing, spelled out for this rule.
import Foundation

enum SigmaLegacyCondition {
    static func rewriteAdvice(condition: String, ruleID: String, timeframe: String?) -> String {
        let head =
            "the condition \"\(condition)\" uses the retired aggregation syntax, which keytrail does not evaluate; "
        let pipe = condition.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let aggregation = pipe.count == 2 ? pipe[1] : ""
        let span = timeframe ?? "10m"
        if aggregation.hasPrefix("near") {
            return head
                + "rewrite it as a correlation rule in a second YAML document: correlation: {type: temporal, rules: "
                + "[<one rule per search>], group-by: [userIdentity.arn], timespan: \(span)}"
        }
        // count(field) by group > N
        var counted = ""
        if let open = aggregation.firstIndex(of: "("), let close = aggregation.firstIndex(of: ")"), open < close {
            counted = aggregation[aggregation.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        }
        var groupBy = ""
        if let byRange = aggregation.range(of: " by ") {
            groupBy = aggregation[byRange.upperBound...].split(separator: " ").first.map(String.init) ?? ""
        }
        let comparison = aggregation.split(separator: " ").suffix(2).map(String.init)
        let operators = [">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "=": "eq", "==": "eq"]
        let bound =
            comparison.count == 2 && operators[comparison[0]] != nil
            ? "\(operators[comparison[0]]!): \(comparison[1])" : "gte: N"
        let type = counted.isEmpty ? "event_count" : "value_count"
        let field = counted.isEmpty ? "" : ", field: \(counted)"
        let group = groupBy.isEmpty ? "" : " group-by: [\(groupBy)],"
        return head
            + "rewrite it as a correlation rule in a second YAML document: correlation: {type: \(type), "
            + "rules: [\(ruleID)],\(group) timespan: \(span), condition: {\(bound)\(field)}}, and set the "
            + "condition of this rule to the search alone"
    }
}
