import TrailModel

/// `cloudtrail-logging-disabled`: `StopLogging` and `DeleteTrail`.
struct CloudTrailLoggingDisabledRule: EventRule {
    let id = "cloudtrail-logging-disabled"
    let eventNames = ["StopLogging", "DeleteTrail"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.field(.eventSource, equals: "cloudtrail.amazonaws.com") else { return nil }
        let trail = RuleSupport.string(event.json(.requestParameters)?["name"]) ?? "unknown trail"
        let stopped = event.field(.eventName, equals: "StopLogging")
        return EventMatch(
            subject: trail, title: "CloudTrail trail \(trail) \(stopped ? "stopped" : "deleted")",
            evidence: [
                .init("trail", .string(trail)), .init("action", .string(event.string(.eventName) ?? "")),
                RuleSupport.callerEvidence(event),
            ])
    }
}
