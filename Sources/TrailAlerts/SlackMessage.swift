import TrailModel

/// A Slack incoming-webhook message for a batch of findings: a header, then per finding its severity and title,
/// key and principal, the first evidence and the fix. Values from logs are escaped for Slack's mrkdwn (`&`, `<`,
/// `>`), so a log cannot inject a link or an `@channel` mention.
public enum SlackMessage {
    /// Evidence members shown per finding.
    static let evidenceShown = 4
    /// Slack's limit on a section's text.
    static let sectionLimit = 3_000

    /// The message body for `findings` (at most 20, so the blocks stay under Slack's 50).
    public static func body(_ findings: [Finding]) -> [UInt8] {
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        let summary = Severity.allCases.reversed().compactMap { severity in
            counts[severity].map { "\($0) \(severity.rawValue)" }
        }.joined(separator: ", ")
        let headline = "keytrail: \(findings.count) finding\(findings.count == 1 ? "" : "s") (\(summary))"
        var blocks: [JSONValue] = [
            .object([
                .init("type", .string("header")),
                .init("text", .object([.init("type", .string("plain_text")), .init("text", .string(headline))])),
            ])
        ]
        for finding in findings {
            blocks.append(
                .object([
                    .init("type", .string("section")),
                    .init(
                        "text", .object([.init("type", .string("mrkdwn")), .init("text", .string(section(finding)))])),
                ]))
            blocks.append(.object([.init("type", .string("divider"))]))
        }
        let message = JSONValue.object([.init("text", .string(headline)), .init("blocks", .array(blocks))])
        return Array(message.jsonText.utf8)
    }

    static func section(_ finding: Finding) -> String {
        var lines = ["*\(finding.severity.rawValue.uppercased())* \(escape(finding.title))"]
        var facts: [String] = []
        if let key = finding.accessKeyId { facts.append("*Key* `\(escape(key))`") }
        if let principal = finding.principal { facts.append("*Principal* \(escape(principal.displayName))") }
        if let account = finding.accountId { facts.append("*Account* \(escape(account))") }
        if !facts.isEmpty { lines.append(facts.joined(separator: " · ")) }
        for member in (finding.evidence.objectMembers ?? []).prefix(evidenceShown) {
            lines.append("• \(escape(member.key)): \(escape(FindingTextRenderer.describe(member.value)))")
        }
        lines.append("*Fix* \(escape(finding.remediation))")
        lines.append("_\(finding.rule) · \(finding.id)_")
        let text = lines.joined(separator: "\n")
        return text.count <= sectionLimit ? text : String(text.prefix(sectionLimit - 1)) + "…"
    }

    /// Escapes the three characters Slack's mrkdwn treats as markup for links and mentions.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
