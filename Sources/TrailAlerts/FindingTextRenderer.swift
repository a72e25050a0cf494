import TrailModel

/// Renders findings for a person: grouped by severity, most severe first, each with its subject, evidence and fix.
/// Every value that comes from a log is escaped for the terminal before any colour is added.
public enum FindingTextRenderer {
    /// Renders `findings`.
    public static func render(_ findings: [Finding], style: TextStyle = .plain) -> String {
        guard !findings.isEmpty else { return "Findings: none\n" }
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        let summary = Severity.allCases.reversed().compactMap { severity in
            counts[severity].map { "\($0) \(severity.rawValue)" }
        }
        var out = "Findings: \(findings.count) (" + summary.joined(separator: ", ") + ")\n"
        for severity in Severity.allCases.reversed() {
            let group = findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            out += "\n" + style.severity(severity, severity.rawValue.uppercased()) + "\n"
            for finding in group { out += render(finding, style: style) }
        }
        return out
    }

    /// One finding, indented.
    public static func render(_ finding: Finding, style: TextStyle = .plain) -> String {
        var out =
            "  " + style.severity(finding.severity, "[\(finding.rule)]") + " "
            + style.bold(TerminalText.escape(finding.title))
            + "\n"
        var facts: [String] = []
        if let key = finding.accessKeyId { facts.append("key " + key) }
        if let principal = finding.principal {
            facts.append(principal.displayName + (principal.type.map { " (\($0))" } ?? ""))
        }
        if let account = finding.accountId { facts.append("account " + account) }
        if let first = finding.firstSeen {
            let last = finding.lastSeen ?? first
            facts.append(
                first == last ? Timestamp.format(first) : Timestamp.format(first) + " … " + Timestamp.format(last))
        }
        if finding.eventCount > 0 && !finding.eventIds.isEmpty {
            facts.append("\(finding.eventCount) event" + (finding.eventCount == 1 ? "" : "s"))
        }
        if !facts.isEmpty { out += "    " + TerminalText.escape(facts.joined(separator: " · ")) + "\n" }
        for member in finding.evidence.objectMembers ?? [] {
            out += "    " + TerminalText.escape(member.key) + ": " + TerminalText.escape(describe(member.value)) + "\n"
        }
        out += "    " + style.dim("fix:") + " " + finding.remediation + "\n"
        return out
    }

    /// A compact rendering of an evidence value: strings bare, the rest as JSON.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .array(let elements) where elements.allSatisfy({ $0.stringValue != nil }):
            return elements.compactMap(\.stringValue).joined(separator: ", ")
        default: return value.jsonText
        }
    }
}
