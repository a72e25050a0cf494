import Foundation

/// Ends a command that cannot go on: its message on stderr as `keytrail: …`, and exit code 2.
enum CommandFailure {
    static func exit(_ message: String) -> Never {
        FileHandle.standardError.write(Data("keytrail: \(message)\n".utf8))
        Foundation.exit(ExitStatus.usage.rawValue)
    }
}
