import TrailModel

/// `security-group-open-to-world`: ingress from `0.0.0.0/0` or `::/0`; critical for SSH, RDP or all traffic.
struct SecurityGroupOpenToWorldRule: EventRule {
    let id = "security-group-open-to-world"
    let eventNames = ["AuthorizeSecurityGroupIngress"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        let group =
            RuleSupport.string(parameters["groupId"]) ?? RuleSupport.string(parameters["groupName"]) ?? "unknown"
        var openings: [JSONValue] = []
        var critical = false
        func consider(protocolName: String?, from: Int64?, to: Int64?, cidrs: [String]) {
            let world = cidrs.filter { $0 == "0.0.0.0/0" || $0 == "::/0" }
            guard !world.isEmpty else { return }
            let proto = protocolName ?? "-1"
            let low = from ?? -1
            let high = to ?? low
            if proto == "-1" || proto == "all" || low <= 22 && high >= 22 || low <= 3389 && high >= 3389 || low < 0 {
                critical = true
            }
            openings.append(
                .object([
                    .init("protocol", .string(proto)), .init("fromPort", .integer(low)),
                    .init("toPort", .integer(high)),
                    .init("cidrs", .array(world.map(JSONValue.string))),
                ]))
        }
        for permission in parameters["ipPermissions"]?["items"]?.asList ?? [] {
            let v4 = (permission["ipRanges"]?["items"]?.asList ?? []).compactMap { $0["cidrIp"]?.stringValue }
            let v6 = (permission["ipv6Ranges"]?["items"]?.asList ?? []).compactMap { $0["cidrIpv6"]?.stringValue }
            consider(
                protocolName: permission["ipProtocol"]?.stringValue, from: permission["fromPort"]?.integerValue,
                to: permission["toPort"]?.integerValue, cidrs: v4 + v6)
        }
        if let cidr = parameters["cidrIp"]?.stringValue {
            consider(
                protocolName: parameters["ipProtocol"]?.stringValue, from: parameters["fromPort"]?.integerValue,
                to: parameters["toPort"]?.integerValue, cidrs: [cidr])
        }
        guard !openings.isEmpty else { return nil }
        return EventMatch(
            subject: group, title: "Security group \(group) opened to the internet",
            severity: critical ? .critical : nil,
            evidence: [
                .init("groupId", .string(group)), .init("openings", .array(openings)),
                RuleSupport.callerEvidence(event),
            ])
    }
}
