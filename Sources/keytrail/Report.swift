import ArgumentParser
import Foundation
import TrailEngine
import TrailStore

extension KeyTrail {
    /// `keytrail report`: the cron report of a state store.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write a report of the state store: coverage, findings to act on, the riskiest keys and their "
                + "daily activity.",
            discussion: """
                HTML is one self-contained file (inline CSS and SVG, nothing fetched); Markdown suits tickets and \
                mail; JSON (keytrail.report/1) suits dashboards. Findings listed are those open or not yet \
                delivered; suppressed ones are counted.

                Examples:
                  keytrail report --state state.db --format html \\
                    --output /var/www/keytrail/index.html
                  keytrail report --state state.db --format markdown \\
                    | mail -s "keytrail" security@example.com
                """)

        @OptionGroup var location: StateLocation

        @Option(help: "markdown, html or json.")
        var format: ReportFormat = .markdown

        @Option(help: "Write to this file instead of stdout (written whole, then renamed into place).")
        var output: String?

        func run() async throws {
            let store = try StoreAccess.open(location)
            let report = StoreAccess.perform { () throws(StoreError) in
                try ReportBuilder.report(of: store, generatedAt: Int64(Date().timeIntervalSince1970))
            }
            do {
                let writer = try ResultWriter(path: output)
                try writer.write(ReportBuilder.render(report, as: format))
                try writer.commit()
            } catch {
                CommandFailure.exit("\(error)")
            }
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
