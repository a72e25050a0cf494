import ArgumentParser
import Foundation
import TrailAnalysis
import TrailModel

extension KeyTrail {
    /// `keytrail rules`: the rules keytrail runs.
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the detection rules.", subcommands: [List.self])
    }
}

extension KeyTrail.Rules {
    /// `keytrail rules list`: every rule with its id, kind, severity and what it checks.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every rule: its id (to route and suppress by), kind, default severity and what it checks.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "text for people, json for scripts.")
        var format: Format = .text

        func run() async throws {
            switch format {
            case .text:
                var out = ""
                for kind in [RuleDescriptor.Kind.key, .event, .window] {
                    let rules = RuleCatalog.all.filter { $0.kind == kind }
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
                var writer = JSONWriter(indent: 2)
                writer.beginArray()
                for rule in RuleCatalog.all {
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
