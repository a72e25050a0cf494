import ArgumentParser
import Foundation
import TrailEngine
import TrailStore

extension KeyTrail {
    /// `keytrail keys`: every key's merged activity from the state store.
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "List every access key in the state store with its merged activity across runs.",
            discussion: """
                Examples:
                  keytrail keys --state state.db
                  keytrail keys --state state.db --format csv --output keys.csv

                CSV values that a spreadsheet would run as formulas (starting with =, +, -, @) get a leading '.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

        @OptionGroup var location: StateLocation

        @Option(help: "text for people, json (keytrail.keys/1) or csv for scripts and spreadsheets.")
        var format: Format = .text

        @Option(help: "Write to this file instead of stdout.")
        var output: String?

        func run() async throws {
            let store = try StoreAccess.open(location)
            let keys = StoreAccess.perform { () throws(StoreError) in try store.keys() }
            let bytes: [UInt8]
            switch format {
            case .text: bytes = Array(KeyListRenderer.text(keys).utf8)
            case .json: bytes = KeyListRenderer.json(keys, store: store.path)
            case .csv: bytes = Array(KeyListRenderer.csv(keys).utf8)
            }
            do {
                let writer = try ResultWriter(path: output)
                try writer.write(bytes)
                try writer.commit()
            } catch {
                CommandFailure.exit("\(error)")
            }
        }
    }
}
