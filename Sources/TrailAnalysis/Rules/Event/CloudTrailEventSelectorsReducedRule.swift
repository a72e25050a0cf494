import TrailModel

/// `cloudtrail-event-selectors-reduced`: `PutEventSelectors` that stops recording management events (high) or
/// records only reads or only writes (medium), with basic or advanced selectors.
struct CloudTrailEventSelectorsReducedRule: EventRule {
    let id = "cloudtrail-event-selectors-reduced"
    let eventNames = ["PutEventSelectors"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        let trail = RuleSupport.string(parameters["trailName"]) ?? "unknown trail"
        var management = false
        var partial = false
        var described = false
        for selector in parameters["eventSelectors"]?.asList ?? [] {
            described = true
            guard selector["includeManagementEvents"]?.boolValue != false else { continue }
            management = true
            if let readWrite = selector["readWriteType"]?.stringValue, readWrite != "All" { partial = true }
        }
        for selector in parameters["advancedEventSelectors"]?.asList ?? [] {
            described = true
            var category: [String] = []
            var readOnlyFilter = false
            for field in selector["fieldSelectors"]?.asList ?? [] {
                switch field["field"]?.stringValue {
                case "eventCategory": category = RuleSupport.strings(field["equals"])
                case "readOnly": readOnlyFilter = true
                default: break
                }
            }
            guard category.contains("Management") else { continue }
            management = true
            if readOnlyFilter { partial = true }
        }
        guard described, !management || partial else { return nil }
        let what =
            management ? "records only read or only write management events" : "no longer records management events"
        return EventMatch(
            subject: trail, title: "CloudTrail trail \(trail) \(what)", severity: management ? .medium : nil,
            evidence: [
                .init("trail", .string(trail)), .init("managementEvents", .string(management ? "partial" : "none")),
                RuleSupport.callerEvidence(event),
            ])
    }
}
