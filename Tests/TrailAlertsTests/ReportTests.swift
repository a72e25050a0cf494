import Foundation
import Testing
import TrailAlerts
import TrailEngine
import TrailModel
import TrailTestSupport

@Suite("Reports: Markdown golden file, self-contained and escaped HTML, JSON")
struct ReportTests {
    /// The SampleLogs report at a fixed time, so the golden file is stable.
    static func sampleReport() async -> Report {
        ReportBuilder.report(of: await sampleScan(), source: "scan of SampleLogs", generatedAt: 1_795_996_800)
    }

    @Test("Markdown: exactly the golden file for SampleLogs")
    func markdownGolden() async throws {
        let markdown = MarkdownReportRenderer.render(await Self.sampleReport())
        let golden = Fixtures.folder + "/golden/report-sample.md"
        if ProcessInfo.processInfo.environment["KEYTRAIL_UPDATE_GOLDEN"] != nil { Fixtures.write(markdown, to: golden) }
        #expect(markdown == String(decoding: Fixtures.read(golden), as: UTF8.self))
        #expect(markdown.contains("## Riskiest keys"))
        #expect(markdown.contains("21 findings: 2 critical, 11 high, 6 medium, 2 low."))
    }

    @Test("the riskiest keys: scored by severity, root's key and the leaked key first")
    func riskyKeys() async throws {
        let report = await Self.sampleReport()
        let risky = report.riskyKeys
        #expect(!risky.isEmpty)
        #expect(risky.map(\.score) == risky.map(\.score).sorted(by: >))
        let top = try #require(risky.first)
        #expect(top.findings.first?.severity == .critical)
        #expect(report.dailySeries(top.activity).count == Report.chartDays)
        #expect(report.dailySeries(top.activity).reduce(0) { $0 + $1.count } <= top.activity?.events ?? 0)
    }

    /// A report whose log values try to inject markup.
    static func hostileReport() async -> Report {
        var report = await sampleReport()
        report.findings[0].title = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        report.findings[0].evidence = .object([
            .init("userAgent", .string("\"><a href=\"https://evil.example\">x</a>")),
            .init("style", .string("</style><link rel=stylesheet href=//evil.example/x.css>")),
        ])
        report.findings[1].principal = Principal(
            type: "IAMUser", arn: "arn:aws:iam::111122223333:user/[click](https://evil.example)",
            userName: "[click](https://evil.example) | `x`", accountId: "111122223333")
        return report
    }

    @Test("HTML: one file, nothing fetched, no scripts, every log value escaped")
    func htmlSelfContained() async throws {
        let html = HTMLReportRenderer.render(await Self.hostileReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Escaped text has no raw "<", so everything between "<" and ">" is markup keytrail wrote.
        let tags = html.lowercased().split(separator: "<").dropFirst().map { "<" + $0.prefix { $0 != ">" } }
        for tag in tags {
            for element in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "<base", "<form"] {
                #expect(!tag.hasPrefix(element), "\(tag)")
            }
            for attribute in [" src=", " href=", " onerror=", " onload=", " onclick=", " style="] {
                #expect(!tag.contains(attribute), "\(tag)")
            }
        }
        let css = html.components(separatedBy: "<style>").last?.components(separatedBy: "</style>").first ?? ""
        #expect(!css.contains("url(") && !css.contains("@import"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;a"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("default-src 'none'"))
        // Balanced: every section and article closed.
        #expect(html.components(separatedBy: "<section>").count == html.components(separatedBy: "</section>").count)
        #expect(html.components(separatedBy: "<article").count == html.components(separatedBy: "</article>").count)
    }

    @Test("Markdown: log values cannot add links, images or table cells")
    func markdownEscaped() async throws {
        let markdown = MarkdownReportRenderer.render(await Self.hostileReport())
        // Every "](" a log value brought is escaped as "\](", so no link is formed (keytrail writes none itself).
        #expect(markdown.contains("\\](https://evil.example)"))
        #expect(!markdown.replacingOccurrences(of: "\\](", with: "").contains("]("))
        #expect(markdown.contains("\\[click\\](https://evil.example) \\| \\`x\\`"))
        #expect(!markdown.contains("<script>"))
    }

    @Test("JSON: keytrail.report/1 with coverage, summary, risky keys with 90 daily counts, and every finding")
    func json() async throws {
        let report = await Self.sampleReport()
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONReportRenderer.render(report))) as? [String: Any])
        #expect(document["schema"] as? String == "keytrail.report/1")
        #expect(document["generatedAt"] as? String == "2026-11-30T00:00:00Z")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["findings"] as? Int == 21)
        #expect((summary["bySeverity"] as? [String: Int])?["critical"] == 2)
        let risky = try #require(document["riskyKeys"] as? [[String: Any]])
        #expect(risky.allSatisfy { ($0["daily"] as? [Int])?.count == 90 })
        #expect((document["findings"] as? [Any])?.count == 21)
        let coverage = try #require(document["coverage"] as? [String: Any])
        #expect(coverage["files"] as? Int == 197)
    }
}
