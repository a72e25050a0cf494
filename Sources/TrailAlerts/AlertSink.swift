import TrailModel

/// Somewhere findings go: the terminal, a stream of JSON lines, a webhook. A scan hands every sink the same
/// findings, most severe first, and runs them together.
public protocol AlertSink: Sendable {
    /// What the sink is, for messages: `stdout`, `webhook https://hooks.example.com/…`.
    var name: String { get }

    /// Delivers `findings`; never throws: what could not be delivered is in the report, to be kept and retried.
    func deliver(_ findings: [Finding]) async -> DeliveryReport
}

/// What a sink did with the findings it was given (and, for a webhook, with batches left from earlier runs).
public struct DeliveryReport: Sendable {
    /// The sink's name.
    public var sink: String
    /// Findings delivered.
    public var delivered: Int = 0
    /// Ids of batches delivered, earlier runs' included (so a spool can forget them).
    public var deliveredBatches: [String] = []
    /// Batches that could not be delivered: keep them and send them first next time.
    public var undelivered: [WebhookBatch] = []
    /// What went wrong, one message per failure, for the user.
    public var errors: [String] = []

    public init(sink: String) { self.sink = sink }

    /// Whether everything reached its destination.
    public var isComplete: Bool { undelivered.isEmpty && errors.isEmpty }
}
