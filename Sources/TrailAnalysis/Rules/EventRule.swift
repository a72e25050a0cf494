import TrailModel

/// What an event rule found in one record.
public struct EventMatch: Sendable, Equatable {
    /// What the finding is about (a bucket, a trail, a user); part of the finding's id, so one subject's events in
    /// one hour become one finding.
    public var subject: String
    /// One line for a person.
    public var title: String
    /// A severity other than the rule's default, when the record shows it is worse or milder.
    public var severity: Severity?
    /// Facts from the record.
    public var evidence: [JSONValue.Member]

    public init(subject: String, title: String, severity: Severity? = nil, evidence: [JSONValue.Member] = []) {
        self.subject = subject
        self.title = title
        self.severity = severity
        self.evidence = evidence
    }
}

/// A rule over single records, called only for the event names it lists.
public protocol EventRule: Sendable {
    /// The rule's id in ``RuleCatalog``.
    var id: String { get }
    /// The `eventName`s it inspects; records with other names never reach it.
    var eventNames: [String] { get }
    /// Inspects a record with one of ``eventNames``; failed calls (with an `errorCode`) do not reach it.
    func inspect(_ event: EventView) -> EventMatch?
}

/// A rule that must look at every record; its ``accepts(_:)`` runs on all of them and must be nearly free.
public protocol UniversalEventRule: Sendable {
    var id: String { get }
    /// A cheap test; only records that pass it are inspected.
    func accepts(_ event: borrowing EventView) -> Bool
    /// Inspects a record that passed ``accepts(_:)`` (failed calls included: the rule decides).
    func inspect(_ event: EventView) -> EventMatch?
}
