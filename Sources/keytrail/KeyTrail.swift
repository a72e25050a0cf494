import ArgumentParser
import Foundation

/// The `keytrail` command: finds risky IAM access keys in CloudTrail logs.
@main
struct KeyTrail: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "keytrail",
        abstract: "Find risky IAM access keys in CloudTrail log archives.",
        discussion: """
            keytrail reads CloudTrail logs as they sit in S3 exports (AWSLogs/<account>/CloudTrail/<region>/\
            YYYY/MM/DD/*.json.gz), folders of them, JSON-lines exports or stdin, and builds an activity record \
            for every access key: who used it, when, from where, for what.

            Exit codes: 0 ok; 1 findings at or above --fail-on; 2 usage or fatal error; \
            3 finished, but some inputs could not be read (they are listed); 4 finished, but some alerts could not \
            be delivered to a webhook (kept for the next run, or printed to stderr); 130 or 143 stopped by SIGINT or \
            SIGTERM (what was read is reported and, with --state, committed).
            """,
        version: version,
        subcommands: [Scan.self, Keys.self, Findings.self, Report.self, State.self, Rules.self]
    )

    /// Runs the command line, mapping errors to keytrail's exit codes (usage errors are 2, not 64).
    static func main() async {
        HeapGrowth.configure()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// keytrail's exit codes, which schedulers act on.
enum ExitStatus: Int32 {
    /// No finding at or above `--fail-on`, every input read.
    case ok = 0
    /// Findings at or above `--fail-on`.
    case findings = 1
    /// A usage error or a fatal error: nothing useful was produced.
    case usage = 2
    /// Finished, but some inputs could not be read, or not completely; they are listed.
    case inputErrors = 3
    /// Finished, but some alerts could not be delivered to a webhook: kept in the state store for the next run, or
    /// (without one) printed to stderr as JSON lines.
    case undelivered = 4

    var exitCode: ExitCode { ExitCode(rawValue) }
}
