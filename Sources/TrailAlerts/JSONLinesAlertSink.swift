import TrailModel

/// `--format jsonl`: one `keytrail.finding/1` object per line and nothing else, each line written (and so flushed)
/// on its own, so `keytrail scan … | jq` sees findings as they are written.
public struct JSONLinesAlertSink: AlertSink {
    public let name: String
    private let write: @Sendable ([UInt8]) throws -> Void

    /// A sink writing lines through `write` (stdout, or a file).
    public init(name: String = "stdout", write: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.write = write
    }

    public func deliver(_ findings: [Finding]) async -> DeliveryReport {
        var report = DeliveryReport(sink: name)
        for finding in findings {
            do {
                try write(Array((finding.jsonLine + "\n").utf8))
                report.delivered += 1
            } catch {
                report.errors.append("\(name): \(error)")
                break
            }
        }
        return report
    }
}
