import Crypto
import Foundation
import TrailModel

/// One POST's worth of findings: its body as sent, and the delivery id that stays the same across retries and
/// runs (`X-Keytrail-Delivery`), so a receiver can drop a batch it already has.
public struct WebhookBatch: Sendable, Equatable {
    /// The delivery id.
    public var id: String
    /// The target's ``WebhookTarget/destinationID``.
    public var destinationID: String
    /// The exact body (what is signed).
    public var body: [UInt8]
    /// The findings in the batch.
    public var findingIDs: [String]
    /// Failed attempts so far, over all runs.
    public var attempts: Int
    /// The last failure.
    public var lastError: String?
    /// When the batch was made (seconds since the epoch).
    public var createdAt: Int64

    public init(
        id: String, destinationID: String, body: [UInt8], findingIDs: [String], attempts: Int = 0,
        lastError: String? = nil, createdAt: Int64
    ) {
        self.id = id
        self.destinationID = destinationID
        self.body = body
        self.findingIDs = findingIDs
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
    }

    /// Splits findings into batches of at most the target's findings and bytes (a single larger finding goes
    /// alone), in order, with bodies in the target's format.
    public static func make(_ findings: [Finding], for target: WebhookTarget, now: Int64) -> [WebhookBatch] {
        var batches: [WebhookBatch] = []
        var current: [Finding] = []
        var bytes = 0
        func flush() {
            guard !current.isEmpty else { return }
            let body =
                target.format == .slack ? SlackMessage.body(current) : genericBody(current.map(\.jsonLine))
            let ids = current.map(\.id)
            batches.append(
                WebhookBatch(
                    id: deliveryID(destination: target.destinationID, findingIDs: ids, createdAt: now),
                    destinationID: target.destinationID, body: body, findingIDs: ids, createdAt: now))
            current = []
            bytes = 0
        }
        for finding in findings {
            // The JSON line is a fair measure of a finding's share of either body.
            let size = finding.jsonLine.utf8.count + 1
            if !current.isEmpty && (current.count == target.maxFindingsPerBatch || bytes + size > target.maxBatchBytes)
            {
                flush()
            }
            current.append(finding)
            bytes += size
        }
        flush()
        return batches
    }

    /// `{"schema":"keytrail.alerts/1","findings":[…]}` from the findings' JSON lines.
    static func genericBody(_ lines: [String]) -> [UInt8] {
        Array(("{\"schema\":\"keytrail.alerts/1\",\"findings\":[" + lines.joined(separator: ",") + "]}").utf8)
    }

    /// A delivery id: a hash of where, what and when, shaped like a UUID.
    static func deliveryID(destination: String, findingIDs: [String], createdAt: Int64) -> String {
        let digest = SHA256.hash(
            data: Array((destination + "|" + findingIDs.joined(separator: ",") + "|\(createdAt)").utf8))
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }
}
