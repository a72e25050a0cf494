import Foundation
import Logging
import TrailModel

/// swift-log's output for keytrail: `keytrail: warning: message` on stderr, escaped for the terminal (a message
/// may quote a webhook's response).
struct StandardErrorLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level >= .error ? "error: " : event.level >= .warning ? "warning: " : ""
        FileHandle.standardError.write(Data("keytrail: \(prefix)\(TerminalText.escape("\(event.message)"))\n".utf8))
    }

    /// Sends every logger to stderr at `level` (once per process).
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { _ in StandardErrorLogHandler(logLevel: level) }
    }
}
