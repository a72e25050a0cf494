import TrailModel

/// The report as Markdown, for a ticket, a wiki or mail: tables, a text sparkline of each risky key's daily
/// activity, and every finding with its evidence. Values from logs are escaped so they cannot add links or markup.
public enum MarkdownReportRenderer {
    /// Sparkline characters, from no activity to the most in the window.
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Renders `report`.
    public static func render(_ report: Report) -> String {
        let e = ReportText.markdown
        var out = "# keytrail report\n\n"
        out += "Generated \(Timestamp.format(report.generatedAt)) from \(e(report.source)); "
        out += "findings as of \(Timestamp.format(report.asOf)).\n\n"

        out += "## Coverage\n\n"
        let coverage = report.coverage
        if let first = coverage.firstEvent, let last = coverage.lastEvent {
            out += "- Events from \(Timestamp.format(first)) to \(Timestamp.format(last))\n"
        } else {
            out += "- No events\n"
        }
        out += "- \(coverage.files) files, \(coverage.records) records\n"
        out += "- Accounts: " + counts(coverage.accounts) + "\n"
        out += "- Regions: " + counts(coverage.regions) + "\n\n"

        out += "## Findings\n\n"
        if report.findings.isEmpty {
            out += "No findings to act on"
        } else {
            out +=
                "\(report.findings.count) findings: "
                + report.severityCounts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        }
        out += report.suppressed > 0 ? " (\(report.suppressed) suppressed, not listed).\n\n" : ".\n\n"
        if !report.findings.isEmpty {
            out += "| rule | severity | findings |\n|---|---|---:|\n"
            for row in report.ruleCounts { out += "| `\(row.rule)` | \(row.severity.rawValue) | \(row.count) |\n" }
            out += "\n"
        }

        let risky = report.riskyKeys
        if !risky.isEmpty {
            out += "## Riskiest keys\n\n"
            out += "| key | owner | kind | age | first seen | last used | findings | fix |\n"
            out += "|---|---|---|---|---|---|---|---|\n"
            for key in risky {
                let rules = key.findings.map { "\($0.rule) (\($0.severity.rawValue))" }
                out += "| \(ReportText.markdownCode(key.accessKeyId)) | \(e(key.owner)) | \(key.kind.rawValue) | "
                out += "\(key.ageText(asOf: report.asOf)) | "
                out += "\(key.activity.map { Timestamp.formatDate($0.firstSeen) } ?? "—") | "
                out += "\(key.activity.map { Timestamp.formatDate($0.lastSeen) } ?? "never in the logs") | "
                out += rules.joined(separator: ", ") + " | " + e(key.fix) + " |\n"
            }
            out +=
                "\nAge is from the key's creation when a finding knows it, else at least the days since it was first "
            out += "seen.\n"
            out += "\n### Daily activity, \(Report.chartDays) days to \(Timestamp.formatDate(report.asOf))\n\n"
            out += "One character per \(daysPerBar) days, scaled to each key's busiest stretch; · is none.\n\n```\n"
            for key in risky {
                let series = report.dailySeries(key.activity)
                let total = series.reduce(0) { $0 + $1.count }
                let label = String(
                    String.UnicodeScalarView(key.accessKeyId.unicodeScalars.filter { $0 != "`" && $0.value >= 0x20 }))
                out += label + "  " + sparkline(series.map(\.count)) + "  \(total) events\n"
            }
            out += "```\n\n"
        }

        if !report.findings.isEmpty {
            out += "## Every finding\n\n"
            for finding in report.findings { out += render(finding) }
        }
        return out
    }

    /// Days summed into one sparkline character.
    static let daysPerBar = 3

    static func sparkline(_ counts: [Int]) -> String {
        var sums: [Int] = []
        var index = 0
        while index < counts.count {
            sums.append(counts[index..<min(index + daysPerBar, counts.count)].reduce(0, +))
            index += daysPerBar
        }
        let top = sums.max() ?? 0
        return String(
            sums.map { sum in
                guard top > 0, sum > 0 else { return sum > 0 ? bars[1] : "·" }
                return bars[max(1, min(bars.count - 1, sum * (bars.count - 1) / top))]
            })
    }

    static func counts(_ values: [String: Int]) -> String {
        guard !values.isEmpty else { return "none" }
        return values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\(ReportText.markdown($0.key)) (\($0.value))" }.joined(separator: ", ")
    }

    static func render(_ finding: Finding) -> String {
        let e = ReportText.markdown
        var out = "### \(finding.severity.rawValue.uppercased()): \(e(finding.title))\n\n"
        out += "- Rule: `\(finding.rule)` · id `\(finding.id)`\n"
        if let key = finding.accessKeyId { out += "- Key: \(ReportText.markdownCode(key))\n" }
        if let principal = finding.principal {
            out += "- Principal: \(e(principal.displayName))" + (principal.type.map { " (\(e($0)))" } ?? "") + "\n"
        }
        if let account = finding.accountId { out += "- Account: \(e(account))\n" }
        if let first = finding.firstSeen {
            let last = finding.lastSeen ?? first
            out += "- Seen: \(Timestamp.format(first))" + (last != first ? " to \(Timestamp.format(last))" : "") + "\n"
        }
        let members = finding.evidence.objectMembers ?? []
        if !members.isEmpty {
            out += "- Evidence:\n"
            for member in members {
                out += "  - \(e(member.key)): \(e(FindingTextRenderer.describe(member.value)))\n"
            }
        }
        if !finding.eventIds.isEmpty {
            let shown = finding.eventIds.prefix(5).map(ReportText.markdownCode).joined(separator: ", ")
            out += "- Events (\(finding.eventCount)): \(shown)" + (finding.eventCount > 5 ? ", …" : "") + "\n"
        }
        out += "- Fix: \(e(finding.remediation))\n"
        if !finding.attack.isEmpty { out += "- ATT&CK: \(finding.attack.joined(separator: ", "))\n" }
        for reference in finding.references { out += "- <\(reference)>\n" }
        return out + "\n"
    }
}
