import ArgumentParser
import Foundation
import TrailAlerts
import TrailEngine

/// Where findings go besides the main output: webhooks, a report file, and how the terminal shows them.
struct AlertOptions: ParsableArguments {
    @Option(help: "Colour on the terminal: auto (a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    @Option(
        help: ArgumentHelp(
            "Post findings to this URL (repeatable), in batches, signed if a secret is set.", valueName: "url"))
    var webhook: [String] = []

    @Option(help: "Webhook body: generic (keytrail.alerts/1 JSON) or slack (incoming-webhook blocks).")
    var webhookFormat: WebhookFormat = .generic

    @Option(
        help: ArgumentHelp(
            "A file holding the HMAC-SHA256 secret for X-Keytrail-Signature (or set KEYTRAIL_WEBHOOK_SECRET). "
                + "Never given on the command line, where other users could read it.",
            valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: "Seconds all webhook deliveries of a run may take, retries included; then what is left is kept.")
    var webhookDeadline: Double = 30

    @Option(
        help: ArgumentHelp(
            "Also write a report of this run: .md, .html or .json by the file name.", valueName: "file"))
    var report: String?

    func validate() throws {
        guard webhookDeadline > 0 else { throw ValidationError("--webhook-deadline must be more than 0 seconds.") }
        if let report, ReportFormat(fileName: report) == nil {
            throw ValidationError("--report \(report): name the file .md, .html or .json so the format is known.")
        }
    }

    /// The webhook targets, with the secret read from the environment or the file.
    func targets(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [WebhookTarget] {
        guard !webhook.isEmpty else { return [] }
        let secret = try self.secret(environment: environment)
        return try webhook.map { url in
            do {
                return try WebhookTarget(
                    url: url, format: webhookFormat, secret: secret,
                    deadline: .milliseconds(Int64(webhookDeadline * 1_000)))
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    private func secret(environment: [String: String]) throws -> [UInt8]? {
        if let file = webhookSecretFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("--webhook-secret-file \(file): cannot read the file.")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw ValidationError("--webhook-secret-file \(file) is empty.") }
            return bytes
        }
        if let value = environment["KEYTRAIL_WEBHOOK_SECRET"], !value.isEmpty { return Array(value.utf8) }
        return nil
    }
}

extension ColorChoice: ExpressibleByArgument {}
extension WebhookFormat: ExpressibleByArgument {}
