import AsyncHTTPClient
import Foundation
import Logging
import TrailAlerts
import TrailModel
import TrailStore

/// Delivers a run's findings to every `--webhook` at once, sending batches an earlier run could not deliver first,
/// and keeps what still cannot be delivered: in the state store's spool when there is one, otherwise in the
/// outcome for the caller to print.
public enum WebhookDelivery {
    /// What the webhooks did.
    public struct Outcome: Sendable {
        public var reports: [DeliveryReport] = []
        /// Batches now in the store's spool (kept from this run or still kept from earlier ones).
        public var keptBatches = 0
        /// Without a store: the findings no webhook batch carried to its destination.
        public var undeliveredFindings: [Finding] = []
        /// Store errors while keeping batches (then the findings are in `undeliveredFindings` too).
        public var storeErrors: [String] = []

        /// Whether anything is left undelivered.
        public var isComplete: Bool { reports.allSatisfy(\.isComplete) && storeErrors.isEmpty }
    }

    /// Posts `findings` to every target.
    /// - Parameters:
    ///   - findings: what this run emits, most severe first.
    ///   - targets: the webhooks.
    ///   - store: where undelivered batches are kept and read back; nil without `--state`.
    public static func deliver(
        _ findings: [Finding], to targets: [WebhookTarget], store: StateStore?,
        logger: Logger = Logger(label: "keytrail.webhook")
    ) async -> Outcome {
        var outcome = Outcome()
        guard !targets.isEmpty else { return outcome }
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(5))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var backlogs: [[WebhookBatch]] = []
        for target in targets {
            do {
                let kept = try store?.spooled(for: target.destinationID) ?? []
                backlogs.append(
                    kept.map {
                        WebhookBatch(
                            id: $0.batchID, destinationID: $0.destination, body: $0.body, findingIDs: $0.findingIDs,
                            attempts: $0.attempts, lastError: $0.lastError, createdAt: $0.createdAt)
                    })
            } catch {
                outcome.storeErrors.append("\(error)")
                backlogs.append([])
            }
        }
        let sinks = zip(targets, backlogs).map { target, backlog in
            WebhookAlertSink(target: target, client: client, backlog: backlog, logger: logger)
        }
        outcome.reports = await withTaskGroup(of: (Int, DeliveryReport).self) { group in
            for (index, sink) in sinks.enumerated() {
                group.addTask { (index, await sink.deliver(findings)) }
            }
            var reports = [DeliveryReport?](repeating: nil, count: sinks.count)
            for await (index, report) in group { reports[index] = report }
            return reports.map { $0! }
        }
        try? await client.shutdown()

        var undelivered = Set<String>()
        for (report, target) in zip(outcome.reports, targets) {
            guard let store else {
                for batch in report.undelivered { undelivered.formUnion(batch.findingIDs) }
                continue
            }
            do {
                for id in report.deliveredBatches { try store.removeSpooled(id) }
                for batch in report.undelivered {
                    try store.spool(
                        SpooledBatch(
                            batchID: batch.id, destination: target.destinationID, body: batch.body,
                            createdAt: batch.createdAt, attempts: batch.attempts, lastError: batch.lastError,
                            findingIDs: batch.findingIDs))
                }
                outcome.keptBatches += try store.spooled(for: target.destinationID).count
            } catch {
                outcome.storeErrors.append("\(error)")
                for batch in report.undelivered { undelivered.formUnion(batch.findingIDs) }
            }
        }
        outcome.undeliveredFindings = findings.filter { undelivered.contains($0.id) }
        return outcome
    }
}
