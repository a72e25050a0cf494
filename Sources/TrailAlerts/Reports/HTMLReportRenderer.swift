import TrailModel

/// The report as one self-contained HTML file: inline CSS and SVG charts, no scripts, fonts or images fetched from
/// anywhere, readable when printed. Every value from a log is escaped (``ReportText/html(_:)``).
public enum HTMLReportRenderer {
    /// Renders `report`.
    public static func render(_ report: Report) -> String {
        let e = ReportText.html
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>keytrail report \(Timestamp.formatDate(report.asOf))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>keytrail report</h1>
            <p>Generated \(Timestamp.format(report.generatedAt)) from \(e(report.source)); findings as of \
            \(Timestamp.format(report.asOf)).</p></header>

            """
        out += coverage(report)
        out += summary(report)
        out += riskyKeys(report)
        if !report.findings.isEmpty {
            out += "<section><h2>Every finding</h2>\n"
            for finding in report.findings { out += render(finding) }
            out += "</section>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    static let style = """
        body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1b1f24;margin:2em auto;\
        max-width:72em;padding:0 1em}h1{font-size:1.6em;margin:0}h2{border-bottom:1px solid #d0d7de;\
        padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em;margin:1.2em 0 .3em}table{border-collapse:collapse;\
        width:100%;margin:.6em 0}th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}\
        th{background:#f6f8fa}td.n{text-align:right}code{font:12px ui-monospace,Menlo,Consolas,monospace;\
        background:#f6f8fa;padding:0 .2em;word-break:break-all}td code{word-break:normal;white-space:nowrap}td.nw{white-space:nowrap}.sev{display:inline-block;min-width:5.5em;\
        font-weight:600;border-radius:3px;padding:0 .4em;color:#fff;text-align:center}.critical{background:#8b0000}\
        .high{background:#cf222e}.medium{background:#bf8700}.low{background:#0969da}.info{background:#6e7781}\
        .finding{border:1px solid #d0d7de;border-left-width:4px;border-radius:4px;padding:.4em .8em;margin:.8em 0;\
        page-break-inside:avoid}.finding.critical,.finding.high{border-left-color:#cf222e}.finding.medium\
        {border-left-color:#bf8700}.finding.low,.finding.info{border-left-color:#0969da}.finding{background:#fff}\
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.4em 0}dt{color:#57606a}\
        dd{margin:0;word-break:break-word}svg{display:block;max-width:100%}.muted{color:#57606a}\
        @media print{body{margin:0;max-width:none;font-size:11px}h2{page-break-after:avoid}\
        .sev{color:#000;border:1px solid #000;background:none}}
        """

    static func coverage(_ report: Report) -> String {
        let c = report.coverage
        var out = "<section><h2>Coverage</h2>\n<dl>\n"
        if let first = c.firstEvent, let last = c.lastEvent {
            out += "<dt>Events</dt><dd>\(Timestamp.format(first)) to \(Timestamp.format(last))</dd>\n"
        } else {
            out += "<dt>Events</dt><dd>none</dd>\n"
        }
        out += "<dt>Read</dt><dd>\(c.files) files, \(c.records) records</dd>\n"
        out += "<dt>Accounts</dt><dd>\(counts(c.accounts))</dd>\n<dt>Regions</dt><dd>\(counts(c.regions))</dd>\n"
        return out + "</dl></section>\n"
    }

    static func summary(_ report: Report) -> String {
        var out = "<section><h2>Findings</h2>\n<p>"
        if report.findings.isEmpty {
            out += "No findings to act on."
        } else {
            out +=
                "\(report.findings.count) findings: "
                + report.severityCounts.map { "<span class=\"sev \($0.0.rawValue)\">\($0.1) \($0.0.rawValue)</span>" }
                .joined(separator: " ")
        }
        if report.suppressed > 0 {
            out += " <span class=\"muted\">(\(report.suppressed) suppressed, not listed)</span>"
        }
        out += "</p>\n"
        guard !report.findings.isEmpty else { return out + "</section>\n" }
        out += "<table><thead><tr><th>rule</th><th>severity</th><th>findings</th></tr></thead><tbody>\n"
        for row in report.ruleCounts {
            out += "<tr><td><code>\(ReportText.html(row.rule))</code></td>"
            out += "<td><span class=\"sev \(row.severity.rawValue)\">\(row.severity.rawValue)</span></td>"
            out += "<td class=\"n\">\(row.count)</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    static func riskyKeys(_ report: Report) -> String {
        let risky = report.riskyKeys
        guard !risky.isEmpty else { return "" }
        let e = ReportText.html
        var out =
            "<section><h2>Riskiest keys</h2>\n<table><thead><tr><th>key</th><th>owner</th><th>kind</th><th>age</th>"
        out += "<th>first seen</th><th>last used</th><th>findings</th><th>fix</th></tr></thead><tbody>\n"
        for key in risky {
            out += "<tr><td><code>\(e(key.accessKeyId))</code></td><td>\(e(key.owner))</td>"
            out +=
                "<td class=\"nw\">\(key.kind.rawValue)</td><td class=\"nw\">\(e(key.ageText(asOf: report.asOf)))</td>"
            out += "<td class=\"nw\">\(key.activity.map { Timestamp.formatDate($0.firstSeen) } ?? "—")</td>"
            out +=
                "<td class=\"nw\">\(key.activity.map { Timestamp.formatDate($0.lastSeen) } ?? "never in the logs")</td><td>"
            out += key.findings.map {
                "<span class=\"sev \($0.severity.rawValue)\">\($0.severity.rawValue)</span> \(e($0.rule))"
            }
            .joined(separator: "<br>")
            out += "</td><td>\(e(key.fix))</td></tr>\n"
        }
        out +=
            "</tbody></table>\n<h3>Daily activity, \(Report.chartDays) days to \(Timestamp.formatDate(report.asOf))</h3>\n"
        for key in risky.prefix(10) {
            out += "<p><code>\(e(key.accessKeyId))</code> <span class=\"muted\">\(e(key.owner))</span></p>\n"
            out += chart(report.dailySeries(key.activity))
        }
        return out + "</section>\n"
    }

    /// An inline SVG bar chart of events per day, with the first and last dates and the busiest day's count.
    static func chart(_ series: [(day: Int32, count: Int)]) -> String {
        let width = 720
        let height = 90
        let plotTop = 8
        let plotBottom = 70
        let top = max(1, series.map(\.count).max() ?? 1)
        let step = Double(width - 40) / Double(max(series.count, 1))
        var bars = ""
        for (index, point) in series.enumerated() where point.count > 0 {
            let barHeight = max(1.0, Double(plotBottom - plotTop) * Double(point.count) / Double(top))
            let x = 40 + Double(index) * step
            bars += String(
                format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#0969da\">", x,
                Double(plotBottom) - barHeight, max(1, step - 1), barHeight)
            bars += "<title>\(Timestamp.formatDate(Int64(point.day) * 86_400)): \(point.count)</title></rect>"
        }
        let first = series.first.map { Timestamp.formatDate(Int64($0.day) * 86_400) } ?? ""
        let last = series.last.map { Timestamp.formatDate(Int64($0.day) * 86_400) } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-label="events per day from \(first) to \(last), at most \(top)">
            <line x1="40" y1="\(plotBottom)" x2="\(width)" y2="\(plotBottom)" stroke="#8c959f"/>\
            <text x="34" y="\(plotTop + 8)" font-size="10" text-anchor="end" fill="#57606a">\(top)</text>\
            <text x="34" y="\(plotBottom)" font-size="10" text-anchor="end" fill="#57606a">0</text>\
            \(bars)\
            <text x="40" y="\(height - 6)" font-size="10" fill="#57606a">\(first)</text>\
            <text x="\(width)" y="\(height - 6)" font-size="10" text-anchor="end" fill="#57606a">\(last)</text>
            </svg>

            """
    }

    static func counts(_ values: [String: Int]) -> String {
        guard !values.isEmpty else { return "none" }
        return values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\(ReportText.html($0.key)) (\($0.value))" }.joined(separator: ", ")
    }

    static func render(_ finding: Finding) -> String {
        let e = ReportText.html
        let severity = finding.severity.rawValue
        var out = "<article class=\"finding \(severity)\"><h3><span class=\"sev \(severity)\">\(severity)</span> "
        out += "\(e(finding.title))</h3>\n<dl>\n"
        out += "<dt>rule</dt><dd><code>\(e(finding.rule))</code> · id <code>\(e(finding.id))</code></dd>\n"
        if let key = finding.accessKeyId { out += "<dt>key</dt><dd><code>\(e(key))</code></dd>\n" }
        if let principal = finding.principal {
            out += "<dt>principal</dt><dd>\(e(principal.displayName))"
            out += (principal.type.map { " (\(e($0)))" } ?? "") + "</dd>\n"
        }
        if let account = finding.accountId { out += "<dt>account</dt><dd>\(e(account))</dd>\n" }
        if let first = finding.firstSeen {
            let last = finding.lastSeen ?? first
            out +=
                "<dt>seen</dt><dd>\(Timestamp.format(first))" + (last != first ? " to \(Timestamp.format(last))" : "")
            out += "</dd>\n"
        }
        for member in finding.evidence.objectMembers ?? [] {
            out += "<dt>\(e(member.key))</dt><dd>\(e(FindingTextRenderer.describe(member.value)))</dd>\n"
        }
        if !finding.eventIds.isEmpty {
            let shown = finding.eventIds.prefix(5).map { "<code>\(e($0))</code>" }.joined(separator: " ")
            out +=
                "<dt>events (\(finding.eventCount))</dt><dd>\(shown)" + (finding.eventCount > 5 ? " …" : "") + "</dd>\n"
        }
        out += "<dt>fix</dt><dd>\(e(finding.remediation))</dd>\n"
        if !finding.attack.isEmpty {
            out += "<dt>ATT&amp;CK</dt><dd>\(e(finding.attack.joined(separator: ", ")))</dd>\n"
        }
        if !finding.references.isEmpty {
            out += "<dt>references</dt><dd>" + finding.references.map(e).joined(separator: "<br>") + "</dd>\n"
        }
        return out + "</dl></article>\n"
    }
}
