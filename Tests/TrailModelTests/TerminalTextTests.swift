import Testing
import TrailModel

@Suite("TerminalText: log values cannot drive the terminal")
struct TerminalTextTests {
    @Test(
        "escape sequences, bells, OSC titles and bidi overrides become visible text",
        arguments: [
            ("\u{1B}[2J\u{1B}[H", "\\x1b[2J\\x1b[H"), ("\u{1B}]0;pwned\u{07}", "\\x1b]0;pwned\\x07"),
            ("a\rb", "a\\x0db"), ("\u{9B}31m", "\\x9b31m"), ("user\u{202E}gpj.exe", "user\\u{202e}gpj.exe"),
            ("plain text é", "plain text é"),
        ])
    func escapes(input: String, expected: String) {
        #expect(TerminalText.escape(input) == expected)
    }
}
