import ArgumentParser
import Foundation
import TrailEngine
import TrailStore

extension KeyTrail {
    /// `keytrail findings`: the alert ledger of a state store, and what a person decides about its entries.
    struct Findings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "findings",
            abstract: "List the findings a state store has recorded, and suppress or resolve them.",
            discussion: """
                A scan with --state emits a finding once; it stays open in the ledger and is emitted again only if \
                its severity rises or --realert-after passes. Suppress a finding you accept (for good or until a \
                date); resolve one you fixed, and it is emitted again if it comes back.

                Examples:
                  keytrail findings --state state.db --status open
                  keytrail findings suppress 3f9c2a1b --until 2027-03-01 \\
                    --reason "break-glass key, reviewed quarterly"
                  keytrail findings resolve 3f9c2a1b
                """,
            subcommands: [List.self, Suppress.self, Resolve.self], defaultSubcommand: List.self)
    }
}

extension AlertStatus: ExpressibleByArgument {}

extension KeyTrail.Findings {
    /// `keytrail findings list`: the ledger.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the recorded findings, most severe first.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @OptionGroup var location: StateLocation

        @Option(help: "Only findings with this status: pending, open, resolved, suppressed.")
        var status: AlertStatus?

        @Option(help: "text for people, json (keytrail.findings/1) for scripts.")
        var format: Format = .text

        func run() async throws {
            let store = try StoreAccess.open(location)
            let records = StoreAccess.perform { () throws(StoreError) in try store.alerts(status: status) }
            switch format {
            case .text: FileHandle.standardOutput.write(Data(AlertLedgerRenderer.text(records).utf8))
            case .json: FileHandle.standardOutput.write(Data(AlertLedgerRenderer.json(records, store: store.path)))
            }
        }
    }

    /// `keytrail findings suppress`: silence a finding.
    struct Suppress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suppress",
            abstract: "Stop emitting a finding, for good or until a date; the reason is kept in the ledger.")

        @OptionGroup var location: StateLocation

        @Argument(help: "The finding's id (or its first 8 or more hex digits).")
        var id: String

        @Option(help: "Why (kept in the ledger for the next person to ask).")
        var reason: String

        @Option(help: "Emit it again after this date (ISO 8601). Default: never.")
        var until: TimeArgument?

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--reason must say why the finding is suppressed.")
            }
        }

        func run() async throws {
            let store = try StoreAccess.open(location)
            let full = StoreAccess.perform { () throws(StoreError) in try store.resolveID(id) }
            StoreAccess.perform { () throws(StoreError) in
                try store.suppress(full, reason: reason, until: until?.endOfRange)
            }
            let when = until.map { " until \($0.text)" } ?? ""
            FileHandle.standardOutput.write(Data("Suppressed \(full)\(when).\n".utf8))
        }
    }

    /// `keytrail findings resolve`: close a finding.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "Mark a finding fixed; a later scan that finds it again emits it again.")

        @OptionGroup var location: StateLocation

        @Argument(help: "The finding's id (or its first 8 or more hex digits).")
        var id: String

        @Option(help: "What was done.")
        var reason: String?

        func run() async throws {
            let store = try StoreAccess.open(location)
            let full = StoreAccess.perform { () throws(StoreError) in try store.resolveID(id) }
            StoreAccess.perform { () throws(StoreError) in try store.resolve(full, reason: reason) }
            FileHandle.standardOutput.write(Data("Resolved \(full).\n".utf8))
        }
    }
}
