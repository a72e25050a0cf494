import TrailModel

/// `--format text`: findings for a person, grouped by severity, coloured on a terminal (``TextStyle``), with every
/// value from a log escaped.
public struct ConsoleAlertSink: AlertSink {
    public let name: String
    private let style: TextStyle
    private let write: @Sendable ([UInt8]) throws -> Void

    /// A sink writing through `write` in `style`.
    public init(name: String = "stdout", style: TextStyle, write: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.style = style
        self.write = write
    }

    public func deliver(_ findings: [Finding]) async -> DeliveryReport {
        var report = DeliveryReport(sink: name)
        do {
            try write(Array(FindingTextRenderer.render(findings, style: style).utf8))
            report.delivered = findings.count
        } catch {
            report.errors.append("\(name): \(error)")
        }
        return report
    }
}
