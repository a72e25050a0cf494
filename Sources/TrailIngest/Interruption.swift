import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM, turned into a request to stop that a scan honours at safe points.
///
/// The first signal only records itself: no new file is started, a blocked read of a FIFO or stdin gives up, and the
/// run commits its state store and delivers what it has before exiting with 128 + the signal (130, 143). A second
/// signal ends the process at once with the same status; the store stays consistent, because SQLite rolls back a
/// transaction that did not commit.
///
/// The handlers are installed without `SA_RESTART`, so a read blocked on a pipe returns `EINTR` and the reader can
/// see the request instead of waiting for data that may never come.
public enum Interruption {
    /// The signal received, or 0. Written only by the handler, read anywhere.
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers for SIGINT and SIGTERM. Call once, early, from the main thread.
    public static func install() {
        // Initialise the lazy static here, never first inside the handler.
        _ = received.load(ordering: .relaxed)
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = Interruption.handle
            #else
            action.__sigaction_handler.sa_handler = Interruption.handle
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// The handler: async-signal-safe (one atomic exchange, and `_exit` on the second signal).
    private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
        let (first, _) = Interruption.received.compareExchange(
            expected: 0, desired: signalNumber, ordering: .relaxed)
        if !first { _exit(128 + signalNumber) }
    }

    /// The signal that asked the run to stop, if one did.
    public static var signal: Int32? {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Whether a signal asked the run to stop.
    public static var isRequested: Bool { received.load(ordering: .relaxed) != 0 }

    /// The signal's name, e.g. `SIGTERM`.
    public static func name(of signalNumber: Int32) -> String {
        switch signalNumber {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signalNumber)"
        }
    }

    /// The exit status for a run stopped by `signalNumber`, as a shell reports it (130 for SIGINT, 143 for SIGTERM).
    public static func exitStatus(for signalNumber: Int32) -> Int32 { 128 + signalNumber }
}
