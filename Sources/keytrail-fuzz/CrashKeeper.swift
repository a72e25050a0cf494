#if !KEYTRAIL_LIBFUZZER
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the input being run where a signal handler can reach it, and writes it to `crash-LABEL-<pid>.bin` when the
/// process dies of a trap, a bad access or an abort, so the plain driver's crashes can be replayed.
enum CrashKeeper {
    nonisolated(unsafe) private static var input: UnsafeMutablePointer<UInt8> = .allocate(capacity: 2 << 20)
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var path: [CChar] = []

    static func install(label: String) {
        path = Array("crash-\(label)-\(getpid()).bin".utf8CString)
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                CrashKeeper.path.withUnsafeBufferPointer { name in
                    let fd = open(name.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    if fd >= 0 {
                        _ = write(fd, CrashKeeper.input, CrashKeeper.count)
                        close(fd)
                    }
                }
                signal(signalNumber, SIG_DFL)
                raise(signalNumber)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Remembers `bytes` as the input about to run.
    static func hold(_ bytes: [UInt8]) {
        count = min(bytes.count, 2 << 20)
        bytes.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: count) }
    }
}
#endif
