import ArgumentParser
import Foundation
import TrailAnalysis
import TrailEngine
import TrailModel
import TrailSigma

extension KeyTrail {
    /// `keytrail rules`: the rules keytrail runs.
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Show the detection rules, and check Sigma rules.", subcommands: [List.self, Check.self])
    }
}

extension KeyTrail.Rules {
    /// `keytrail rules list`: every rule with its id, kind, severity and what it checks.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every rule: its id (to route and suppress by), kind, default severity and what it checks.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "text for people, json for scripts.")
        var format: Format = .text

        @Option(
            name: .customLong("rules"),
            help: ArgumentHelp("Sigma rule files or folders to list as well; repeatable.", valueName: "path"))
        var sigmaPaths: [String] = []

        func run() async throws {
            var sigma: [RuleDescriptor] = []
            if !sigmaPaths.isEmpty {
                let report = SigmaLoader.load(paths: sigmaPaths)
                guard report.errors.isEmpty else {
                    throw ValidationError(
                        "--rules: \(report.errors.count) Sigma rule problem(s):\n"
                            + report.errors.map { "  \($0)" }.joined(separator: "\n"))
                }
                sigma = report.rules.allDescriptors
            }
            let all = RuleCatalog.all + sigma
            switch format {
            case .text:
                var out = ""
                for kind in [RuleDescriptor.Kind.key, .event, .window, .sigma] {
                    let rules = all.filter { $0.kind == kind }
                    if rules.isEmpty { continue }
                    out += "\(kind.rawValue.capitalized) rules (\(rules.count)):\n"
                    for rule in rules {
                        out += "  \(rule.id)  [\(rule.severity.rawValue)]  \(rule.attack.joined(separator: ", "))"
                        out += rule.requiresState ? "  (needs --state)\n" : "\n"
                        out += "      \(rule.summary)\n"
                    }
                    out += "\n"
                }
                FileHandle.standardOutput.write(Data(out.utf8))
            case .json:
                let writer = JSONWriter(indent: 2)
                writer.beginArray()
                for rule in all {
                    writer.beginObject()
                    writer.field("id", rule.id)
                    writer.field("kind", rule.kind.rawValue)
                    writer.field("severity", rule.severity.rawValue)
                    writer.field("summary", rule.summary)
                    writer.field("remediation", rule.remediation)
                    writer.field("references", strings: rule.references)
                    writer.field("attack", strings: rule.attack)
                    writer.field("requiresState", rule.requiresState)
                    writer.endObject()
                }
                writer.endArray()
                writer.newline()
                FileHandle.standardOutput.write(Data(writer.bytes))
            }
        }
    }
}

extension KeyTrail.Rules {
    /// `keytrail rules check PATH…`: loads Sigma rules without scanning and says what each one is.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check Sigma rules: load them, show each rule's id and title, and every problem with its file "
                + "and line.",
            discussion: """
                Exits 0 when every rule for AWS CloudTrail loads, 1 when any cannot be loaded (a scan with \
                --rules refuses to start with such a rule). Rules for other log sources are listed as skipped. \
                Each rule shows the field whose exact values find it through the index (eventName where the rule \
                pins it); rules that pin no extracted field are marked "every record": they are tested on all \
                records, which costs more than indexed rules.
                """)

        @Argument(help: ArgumentHelp("Sigma rule files or folders.", valueName: "path"))
        var paths: [String]

        @Option(help: "text for people, json for scripts.")
        var format: List.Format = .text

        func validate() throws {
            if paths.isEmpty { throw ValidationError("name at least one rule file or folder") }
        }

        func run() async throws {
            let report = SigmaLoader.load(paths: paths)
            switch format {
            case .text:
                var out = ""
                for entry in report.loaded {
                    let place = "\(entry.file)\(entry.line.map { ":\($0)" } ?? "")"
                    let reach = entry.indexedBy.map { "  (by \($0))" } ?? "  (every record)"
                    out +=
                        "ok       sigma:\(entry.id)  \(entry.kind)  \(TerminalText.escape(entry.title))  \(place)\(reach)\n"
                }
                for problem in report.warnings { out += "warning  \(TerminalText.escape(problem.description))\n" }
                for problem in report.skipped { out += "skipped  \(TerminalText.escape(problem.description))\n" }
                for problem in report.errors { out += "error    \(TerminalText.escape(problem.description))\n" }
                out += "\(report.loaded.count) rule(s) loaded, \(report.errors.count) error(s), "
                out += "\(report.warnings.count) warning(s), "
                out += "\(report.skipped.count) skipped, from \(report.files) file(s)\n"
                FileHandle.standardOutput.write(Data(out.utf8))
            case .json:
                let writer = JSONWriter(indent: 2)
                writer.beginObject()
                writer.key("rules")
                writer.beginArray()
                for entry in report.loaded {
                    writer.beginObject()
                    writer.field("rule", "sigma:" + entry.id)
                    writer.field("title", entry.title)
                    writer.field("kind", entry.kind)
                    writer.field("file", entry.file)
                    if let line = entry.line { writer.field("line", line) }
                    writer.field("indexedBy", entry.indexedBy)
                    writer.endObject()
                }
                writer.endArray()
                for (name, problems) in [
                    ("errors", report.errors), ("warnings", report.warnings), ("skipped", report.skipped),
                ] {
                    writer.key(name)
                    writer.beginArray()
                    for problem in problems {
                        writer.beginObject()
                        writer.field("file", problem.file)
                        if let line = problem.line { writer.field("line", line) }
                        writer.field("message", problem.message)
                        writer.endObject()
                    }
                    writer.endArray()
                }
                writer.endObject()
                writer.newline()
                FileHandle.standardOutput.write(Data(writer.bytes))
            }
            if !report.errors.isEmpty { throw ExitCode(1) }
        }
    }
}
