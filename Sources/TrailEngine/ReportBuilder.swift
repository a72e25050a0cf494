import Foundation
import TrailAlerts
import TrailAnalysis
import TrailModel
import TrailStore

/// Builds the cron report (``Report``) from a scan just made or from a state store's history and alert ledger.
public enum ReportBuilder {
    /// The report of one scan: its coverage, keys and the findings it emitted.
    public static func report(of result: ScanResult, source: String, generatedAt: Int64) -> Report {
        Report(
            generatedAt: generatedAt, asOf: result.asOf, source: source,
            coverage: coverage(result.coverage, files: result.stats.files, records: result.stats.records),
            findings: result.findings, suppressed: result.state?.suppressed ?? 0, keys: result.keys)
    }

    /// The report of a state store: all its history, and the findings still to act on (open or not yet
    /// delivered; suppressed and resolved ones are counted or left out).
    public static func report(of store: StateStore, generatedAt: Int64) throws(StoreError) -> Report {
        let stored = try store.coverage()
        let totals = try store.ledgerTotals()
        let ledger = try store.alerts()
        let findings = ScanPipeline.ordered(
            ledger.filter { $0.status == .open || $0.status == .pending }.compactMap(\.finding))
        return Report(
            generatedAt: generatedAt, asOf: stored.lastEvent ?? generatedAt, source: "state store \(store.path)",
            coverage: coverage(stored, files: totals.files, records: totals.records), findings: findings,
            suppressed: ledger.filter { $0.status == .suppressed }.count, keys: try store.keys())
    }

    static func coverage(_ coverage: Coverage, files: Int, records: Int) -> Report.Coverage {
        Report.Coverage(
            firstEvent: coverage.firstEvent, lastEvent: coverage.lastEvent, accounts: coverage.accounts,
            regions: coverage.regions, files: files, records: records)
    }

    /// Renders `report` in `format`.
    public static func render(_ report: Report, as format: ReportFormat) -> [UInt8] {
        switch format {
        case .markdown: return Array(MarkdownReportRenderer.render(report).utf8)
        case .html: return Array(HTMLReportRenderer.render(report).utf8)
        case .json: return JSONReportRenderer.render(report)
        }
    }
}

/// A report's file format.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown, html, json

    /// The format a file name implies: `.md`/`.markdown`, `.html`/`.htm`, `.json`.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
            self = .markdown
        } else if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
            self = .html
        } else if lower.hasSuffix(".json") {
            self = .json
        } else {
            return nil
        }
    }
}
