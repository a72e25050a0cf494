import ArgumentParser
import Foundation
import TrailEngine

/// Where the state store is, for every command that uses one: `--state FILE`, else `KEYTRAIL_STATE`.
struct StateLocation: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The state store (SQLite; created with mode 0600 if missing). Default: $KEYTRAIL_STATE.",
            valueName: "file"))
    var state: String?

    /// The store's path: the option, else the environment.
    var path: String? {
        if let state, !state.isEmpty { return state }
        if let fromEnvironment = ProcessInfo.processInfo.environment["KEYTRAIL_STATE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    /// The path, or a usage error saying how to give one.
    func required() throws -> String {
        guard let path else { throw ValidationError("Give the state store with --state FILE or KEYTRAIL_STATE.") }
        return path
    }
}

/// How `keytrail scan` uses a state store: incremental runs and alerts that are not repeated.
struct ScanStateArguments: ParsableArguments {
    @OptionGroup var location: StateLocation

    @Flag(help: "Run without a state store even if KEYTRAIL_STATE is set: read everything, emit every finding.")
    var noState = false

    @Option(help: "Seconds to wait for another scan that is using the store before giving up with exit 2.")
    var stateWait: Double = 30

    @Flag(
        help: """
            Read files again that changed since the store recorded them (their records are added again; by \
            default a changed file is reported and not read).
            """)
    var reprocessChanged = false

    @Option(
        help: ArgumentHelp(
            "Emit a finding that is still open again after this long (90s, 30m, 12h, 7d, 2w; 0 for every run). "
                + "Default: never.",
            valueName: "duration"))
    var realertAfter: DurationArgument?

    @Option(help: "Commit to the store after about this much input (stored bytes), so a killed run keeps its work.")
    var checkpointEvery = ByteSizeArgument(bytes: StateOptions.defaultCheckpointBytes)

    func validate() throws {
        if noState && location.state != nil {
            throw ValidationError("--state and --no-state cannot be given together.")
        }
        guard stateWait >= 0 else { throw ValidationError("--state-wait must be 0 or more seconds.") }
    }

    /// The store options, or nil for a stateless run.
    var options: StateOptions? {
        guard !noState, let path = location.path else { return nil }
        return StateOptions(
            path: path, wait: stateWait, reprocessChanged: reprocessChanged, realertAfter: realertAfter?.seconds,
            checkpointBytes: checkpointEvery.bytes)
    }

    /// Whether any option that needs a store was given without one.
    var needsStoreButHasNone: String? {
        guard options == nil else { return nil }
        if reprocessChanged { return "--reprocess-changed" }
        if realertAfter != nil { return "--realert-after" }
        return nil
    }
}

/// A duration on the command line: `90s`, `30m`, `12h`, `7d`, `2w`, or seconds.
struct DurationArgument: ExpressibleByArgument {
    let seconds: Int64

    init?(argument: String) {
        guard let seconds = CommandLineValues.duration(argument) else { return nil }
        self.seconds = seconds
    }
}
