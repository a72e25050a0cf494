import TrailModel

/// How text for a terminal is decorated: ANSI colours by severity, or none.
///
/// Colour wraps text that was already escaped (``TerminalText``), so a value from a log can never carry its own
/// escape sequences through.
public struct TextStyle: Sendable, Equatable {
    /// Whether to emit colour at all.
    public var colored: Bool

    /// No decoration.
    public static let plain = TextStyle(colored: false)
    /// ANSI colours.
    public static let ansi = TextStyle(colored: true)

    public init(colored: Bool) { self.colored = colored }

    /// The style for `--color auto|always|never`: `auto` colours only a terminal, and not when `NO_COLOR` is set
    /// (https://no-color.org) or `TERM` is `dumb`.
    public static func resolve(
        _ choice: ColorChoice, isTerminal: Bool, environment: [String: String]
    ) -> TextStyle {
        switch choice {
        case .always: return .ansi
        case .never: return .plain
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return TextStyle(colored: isTerminal && !noColor && environment["TERM"] != "dumb")
        }
    }

    /// `text` in the colour of `severity`.
    public func severity(_ severity: Severity, _ text: String) -> String {
        guard colored else { return text }
        let code: String
        switch severity {
        case .critical: code = "1;31"
        case .high: code = "31"
        case .medium: code = "33"
        case .low: code = "36"
        case .info: code = "2"
        }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }

    /// `text` in bold.
    public func bold(_ text: String) -> String { colored ? "\u{1B}[1m" + text + "\u{1B}[0m" : text }

    /// `text` dimmed.
    public func dim(_ text: String) -> String { colored ? "\u{1B}[2m" + text + "\u{1B}[0m" : text }
}

/// `--color`: when to colour the terminal output.
public enum ColorChoice: String, Sendable, CaseIterable {
    case auto, always, never
}
