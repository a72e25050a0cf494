import ArgumentParser
import Foundation
import Logging
import TrailAlerts
import TrailEngine
import TrailIngest
import TrailModel

extension KeyTrail {
    /// `keytrail scan`: read logs, aggregate per key, print the result.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Read CloudTrail logs and report the activity of every access key.",
            discussion: """
                Examples:
                  keytrail scan SampleLogs --inventory SampleLogs/credential-report.csv
                  keytrail scan --since 2026-11-01 --format json --output keys.json logs/
                  keytrail scan --state /var/lib/keytrail/state.db \\
                    --inventory report.csv /data/AWSLogs                  # nightly, from cron
                  aws s3 cp s3://trail/AWSLogs/ - --recursive | keytrail scan -  # gzip or not

                With --state FILE (or KEYTRAIL_STATE), a run reads only files the store has not seen, keeps every \
                key's history for the key rules, and emits only findings that are new, escalated or due again; \
                keytrail findings lists the rest. Without it, every run reads everything and emits every finding.

                Files under CloudTrail-Digest/ and CloudTrail-Insight/ are skipped and counted. An input that \
                cannot be read, or not completely, is named with the reason in stats.errors (and in the text \
                output); the other inputs are still read and the exit code is 3.

                SIGINT or SIGTERM stops the run cleanly: no new file is started, files in flight finish (a read \
                waiting on stdin or a FIFO gives up), the findings of the events read are emitted, the state store \
                commits what was read, webhooks get 10 seconds, and the exit code is 130 or 143. Key rules are left \
                to the next run, as they need all the data. A second signal exits at once; the store stays \
                consistent.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var rules: RuleOptions

        @OptionGroup(title: "State store (incremental runs)") var state: ScanStateArguments

        @OptionGroup(title: "Alerts and reports") var alerts: AlertOptions

        @Option(help: "Reference time for ages and 'unused for N days' (default: the newest event in the data).")
        var asOf: TimeArgument?

        @Option(
            help:
                "Output format: text for people, json for the keytrail.scan/1 document, jsonl for one finding per line."
        )
        var format: ScanFormat = .text

        @Option(help: "Write the result to this file instead of stdout (written whole, then renamed into place).")
        var output: String?

        @Option(help: "Live progress line on stderr: auto (when stderr is a terminal), always, never.")
        var progress: ProgressMode = .auto

        @Flag(help: "No progress line and no warnings on stderr; the exit code still tells.")
        var quiet = false

        @Option(help: "Exit with 1 when a finding is at least this severe: info, low, medium, high, critical, none.")
        var failOn: FailThreshold = .high

        func run() async throws {
            if let option = state.needsStoreButHasNone {
                throw ValidationError("\(option) needs a state store: give --state FILE or set KEYTRAIL_STATE.")
            }
            StandardErrorLogHandler.bootstrap(level: quiet ? .error : .warning)
            let webhooks = try alerts.targets()
            var options = input.scanOptions
            (options.configuration, options.inventory, options.awsRanges) = try rules.load()
            let counters = ProgressCounters()
            let showProgress =
                !quiet && (progress == .always || (progress == .auto && ProgressReporter.standardErrorIsTerminal))
            let reporter = showProgress ? ProgressReporter(counters: counters) : nil
            reporter?.start()
            let pipeline = ScanPipeline(options: options)
            Interruption.install()
            let result: ScanResult
            var stateful: StatefulScan?
            if let stateOptions = state.options {
                do {
                    stateful = try await pipeline.run(state: stateOptions, asOf: asOf?.seconds, progress: counters)
                } catch {
                    reporter?.stop()
                    CommandFailure.exit("\(error)")
                }
                result = stateful!.result
            } else {
                result = await pipeline.run(asOf: asOf?.seconds, progress: counters)
            }
            reporter?.stop()
            var timer = PhaseTimer()

            // Webhooks get the findings at once, beside the output; a slow one delays only the exit. After a signal
            // they get a short deadline: what they cannot take in it is kept (with --state) for the next run.
            let store = stateful?.store
            let findings = result.findings
            let targets = result.stats.interruptedBy == nil ? webhooks : webhooks.map(\.withInterruptionDeadlines)
            let posting =
                targets.isEmpty ? nil : Task { await WebhookDelivery.deliver(findings, to: targets, store: store) }
            do {
                try await writeOutput(result)
                if let path = alerts.report, let format = ReportFormat(fileName: path) {
                    let report = ReportBuilder.report(
                        of: result, source: "scan of " + input.paths.joined(separator: ", "),
                        generatedAt: Int64(Date().timeIntervalSince1970))
                    let writer = try ResultWriter(path: path)
                    try writer.write(ReportBuilder.render(report, as: format))
                    try writer.commit()
                }
            } catch {
                // The findings stay pending in the store: the next run emits them.
                _ = await posting?.value
                try? await stateful?.abandon("\(error)")
                CommandFailure.exit("\(error)")
            }
            timer.mark("render and write")
            let posted = await posting?.value
            timer.mark("webhooks")
            let notKept = Set(posted?.undeliveredFindings.map(\.id) ?? [])
            do {
                try await stateful?.delivered(findings.filter { !notKept.contains($0.id) })
            } catch {
                CommandFailure.exit("\(error) (the findings were written, and the next run will emit them again)")
            }
            timer.mark("mark delivered, finish run")
            if !quiet && (format != .text || output != nil) {
                warnAboutInputs(result.stats.errors)
            }
            if let posted { report(posted, stateful: stateful != nil) }
            if let signalNumber = result.stats.interruptedBy {
                let committed = stateful == nil ? "" : " What was read is committed to the state store."
                FileHandle.standardError.write(
                    Data(
                        ("keytrail: stopped by \(Interruption.name(of: signalNumber)): "
                            + "\(result.stats.filesNotRead) files not read, key rules not evaluated.\(committed)\n")
                            .utf8))
                Foundation.exit(Interruption.exitStatus(for: signalNumber))
            }
            // Exit now rather than unwind: freeing tens of thousands of key records one by one costs a noticeable
            // part of a large run, and the system reclaims the memory at once. Everything is written and committed.
            // Findings at or above --fail-on outrank the rest: the security signal comes first.
            let status: ExitStatus =
                failOn.severity.map(result.hasFindings(atOrAbove:)) == true
                ? .findings
                : posted.map { !$0.isComplete } == true ? .undelivered : result.hasInputErrors ? .inputErrors : .ok
            Foundation.exit(status.rawValue)
        }

        /// Writes the result in the chosen format to stdout or `--output`.
        private func writeOutput(_ result: ScanResult) async throws {
            let writer = try ResultWriter(path: output)
            let write: @Sendable ([UInt8]) throws -> Void = { try writer.write($0) }
            switch format {
            case .json:
                try ScanJSONRenderer.render(result, threads: input.jobs) { try writer.write($0) }
            case .text:
                let isTerminal = output == nil && isatty(STDOUT_FILENO) != 0
                let style = TextStyle.resolve(
                    alerts.color, isTerminal: isTerminal, environment: ProcessInfo.processInfo.environment)
                try writer.write(Array(ScanTextRenderer.header(result).utf8))
                try writer.write(Array("\n".utf8))
                let console = await ConsoleAlertSink(style: style, write: write).deliver(result.findings)
                if let error = console.errors.first { throw SinkFailure(message: error) }
                try writer.write(Array(ScanTextRenderer.trailer(result).utf8))
            case .jsonl:
                let lines = await JSONLinesAlertSink(write: write).deliver(result.findings)
                if let error = lines.errors.first { throw SinkFailure(message: error) }
            }
            try writer.commit()
        }

        /// Says on stderr what the webhooks could not deliver; without a store, prints those findings there as
        /// JSON lines so cron mail still carries them.
        private func report(_ outcome: WebhookDelivery.Outcome, stateful: Bool) {
            var text = ""
            for report in outcome.reports {
                for error in report.errors { text += "keytrail: \(TerminalText.escape(error))\n" }
            }
            for error in outcome.storeErrors { text += "keytrail: could not keep undelivered batches: \(error)\n" }
            if stateful && outcome.keptBatches > 0 {
                text += "keytrail: \(outcome.keptBatches) webhook batches are kept in the state store; the next run "
                text += "sends them first\n"
            }
            if !outcome.undeliveredFindings.isEmpty {
                text += "keytrail: \(outcome.undeliveredFindings.count) findings were not delivered to a webhook"
                text +=
                    stateful
                    ? " and could not be kept; here they are:\n" : " (no --state to keep them); here they are:\n"
                for finding in outcome.undeliveredFindings { text += finding.jsonLine + "\n" }
            }
            if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
        }

        private func warnAboutInputs(_ errors: [ScanStats.FileError]) {
            guard !errors.isEmpty else { return }
            var text = ""
            for error in errors.prefix(20) {
                text += "keytrail: warning: \(TerminalText.escape(error.path)): \(TerminalText.escape(error.message))\n"
            }
            if errors.count > 20 { text += "keytrail: … and \(errors.count - 20) more (see stats.errors)\n" }
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

/// A sink that could not write the output.
struct SinkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
