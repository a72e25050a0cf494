import Synchronization
import Testing
import TrailAlerts
import TrailModel
import TrailTestSupport

/// Collects what a sink writes.
final class CollectedOutput: Sendable {
    private let chunks = Mutex<[[UInt8]]>([])
    var writes: [[UInt8]] { chunks.withLock { $0 } }
    var text: String { String(decoding: writes.flatMap { $0 }, as: UTF8.self) }
    func write(_ bytes: [UInt8]) { chunks.withLock { $0.append(bytes) } }
}

@Suite("Console and JSON-lines sinks, colour choice")
struct LocalSinkTests {
    @Test("--color auto colours a terminal unless NO_COLOR is set or TERM is dumb; always and never win")
    func colorChoice() {
        #expect(TextStyle.resolve(.auto, isTerminal: true, environment: [:]).colored)
        #expect(!TextStyle.resolve(.auto, isTerminal: false, environment: [:]).colored)
        #expect(!TextStyle.resolve(.auto, isTerminal: true, environment: ["NO_COLOR": "1"]).colored)
        #expect(TextStyle.resolve(.auto, isTerminal: true, environment: ["NO_COLOR": ""]).colored)
        #expect(!TextStyle.resolve(.auto, isTerminal: true, environment: ["TERM": "dumb"]).colored)
        #expect(TextStyle.resolve(.always, isTerminal: false, environment: ["NO_COLOR": "1"]).colored)
        #expect(!TextStyle.resolve(.never, isTerminal: true, environment: [:]).colored)
    }

    @Test("console: severity colours around escaped text; a log value cannot move the cursor or retitle the terminal")
    func consoleEscapes() async throws {
        var findings = Array(await sampleScan().findings.prefix(3))
        findings[0].title = "Key used by \u{1B}]0;pwned\u{07}\u{1B}[2J evil"
        findings[0].evidence = .object([.init("userAgent", .string("curl\u{1B}[31m/8\r\n"))])
        let output = CollectedOutput()
        let report = await ConsoleAlertSink(style: .ansi) { output.write($0) }.deliver(findings)
        #expect(report.delivered == 3)
        let text = output.text
        #expect(text.contains("\u{1B}[1;31mCRITICAL\u{1B}[0m"))
        #expect(text.contains("Key used by \\x1b]0;pwned\\x07\\x1b[2J evil"))
        #expect(text.contains("userAgent: curl\\x1b[31m/8\\x0d\\x0a"))
        // The only escape sequences left are the colours keytrail added.
        let sequences = text.components(separatedBy: "\u{1B}[").dropFirst().map { $0.prefix { $0 != "m" } }
        #expect(Set(sequences).isSubset(of: ["0", "1", "2", "31", "33", "36", "1;31"]))
        #expect(!text.contains("\u{07}"))

        let plain = CollectedOutput()
        _ = await ConsoleAlertSink(style: .plain) { plain.write($0) }.deliver(findings)
        #expect(!plain.text.contains("\u{1B}"))
    }

    @Test("JSON lines: one finding object per line, nothing else, each line its own write")
    func jsonLines() async throws {
        let findings = await sampleScan().findings
        let output = CollectedOutput()
        let report = await JSONLinesAlertSink { output.write($0) }.deliver(findings)
        #expect(report.isComplete)
        #expect(output.writes.count == findings.count)
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == findings.count + 1)
        #expect(lines.last == "")
        for (line, finding) in zip(lines, findings) {
            let parsed = try #require(Finding(json: try JSONValue.parse(String(line))))
            #expect(parsed == finding)
        }
    }

    @Test("a sink that cannot write says so and stops")
    func writeFailure() async throws {
        struct Full: Error, CustomStringConvertible { var description: String { "no space left on device" } }
        let report = await JSONLinesAlertSink { _ in throw Full() }.deliver(await sampleScan().findings)
        #expect(report.delivered == 0)
        #expect(report.errors == ["stdout: no space left on device"])
    }
}
