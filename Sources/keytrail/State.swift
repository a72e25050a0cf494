import ArgumentParser
import Foundation
import TrailEngine
import TrailModel
import TrailStore

extension KeyTrail {
    /// `keytrail state`: look after the state store.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Show or compact the state store.", subcommands: [Info.self, Vacuum.self])
    }
}

extension KeyTrail.State {
    /// `keytrail state info`: schema version, size and counts.
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Print the store's schema version, size and what it holds.")

        @OptionGroup var location: StateLocation

        func run() async throws {
            let store = try StoreAccess.open(location)
            let info = StoreAccess.perform { () throws(StoreError) in try store.info() }
            var out = "State store \(TerminalText.escape(info.path))\n"
            out += "  schema: \(info.schema.last ?? "none") (migrations: \(info.schema.joined(separator: ", ")))\n"
            out += "  size: \(info.bytes) bytes\n"
            out += "  runs: \(info.runs)"
            if let last = info.lastRun { out += " (last started \(Timestamp.format(last.started)), \(last.status))" }
            out += "\n  files read: \(info.files)\n  keys: \(info.keys)\n"
            out += "  key lifecycle events: \(info.lifecycleEvents)\n"
            let alerts = AlertStatus.allCases.map { "\(info.alerts[$0.rawValue] ?? 0) \($0.rawValue)" }
            out += "  findings: " + alerts.joined(separator: ", ") + "\n"
            out += "  undelivered webhook batches: \(info.spooledBatches)\n"
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    /// `keytrail state vacuum`: reclaim free space.
    struct Vacuum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vacuum",
            abstract: "Rebuild the store file to reclaim free space (run it when no scan is running).")

        @OptionGroup var location: StateLocation

        func run() async throws {
            let store = try StoreAccess.open(location)
            let before = StoreAccess.perform { () throws(StoreError) in try store.info() }.bytes
            StoreAccess.perform { () throws(StoreError) in try store.vacuum() }
            let after = StoreAccess.perform { () throws(StoreError) in try store.info() }.bytes
            FileHandle.standardOutput.write(Data("Vacuumed \(store.path): \(before) → \(after) bytes.\n".utf8))
        }
    }
}
