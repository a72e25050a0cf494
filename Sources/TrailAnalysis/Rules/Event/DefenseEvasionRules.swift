import TrailModel

/// `guardduty-disabled`: detectors deleted or disabled, member monitoring stopped, members leaving.
struct GuardDutyDisabledRule: EventRule {
    let id = "guardduty-disabled"
    let eventNames = [
        "DeleteDetector", "UpdateDetector", "StopMonitoringMembers", "DisassociateFromMasterAccount",
        "DisassociateFromAdministratorAccount",
    ]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.field(.eventSource, equals: "guardduty.amazonaws.com") else { return nil }
        let parameters = event.json(.requestParameters)
        if event.field(.eventName, equals: "UpdateDetector") && !RuleSupport.isFalse(parameters?["enable"]) {
            return nil
        }
        let detector = RuleSupport.string(parameters?["detectorId"]) ?? "unknown detector"
        let action = event.string(.eventName) ?? ""
        return EventMatch(
            subject: detector, title: "GuardDuty disabled (\(action), detector \(detector))",
            evidence: [
                .init("detectorId", .string(detector)), .init("action", .string(action)),
                RuleSupport.callerEvidence(event),
            ])
    }
}

/// `config-recorder-stopped`: AWS Config recording stopped, recorder or delivery channel deleted.
struct ConfigRecorderStoppedRule: EventRule {
    let id = "config-recorder-stopped"
    let eventNames = ["StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.field(.eventSource, equals: "config.amazonaws.com") else { return nil }
        let parameters = event.json(.requestParameters)
        let name =
            RuleSupport.string(parameters?["configurationRecorderName"])
            ?? RuleSupport.string(parameters?["deliveryChannelName"]) ?? "default"
        let action = event.string(.eventName) ?? ""
        return EventMatch(
            subject: name, title: "AWS Config recording disabled (\(action) \(name))",
            evidence: [
                .init("name", .string(name)), .init("action", .string(action)), RuleSupport.callerEvidence(event),
            ])
    }
}

/// `vpc-flow-logs-deleted`: `DeleteFlowLogs`.
struct VPCFlowLogsDeletedRule: EventRule {
    let id = "vpc-flow-logs-deleted"
    let eventNames = ["DeleteFlowLogs"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.field(.eventSource, equals: "ec2.amazonaws.com") else { return nil }
        let parameters = event.json(.requestParameters)
        var ids = RuleSupport.strings(parameters?["DeleteFlowLogsRequest"]?["FlowLogId"])
        ids += (parameters?["flowLogIds"]?["items"]?.asList ?? []).compactMap {
            $0["item"]?.stringValue ?? $0.stringValue
        }
        let subject = ids.sorted().joined(separator: ",")
        return EventMatch(
            subject: subject.isEmpty ? "flow logs" : subject, title: "VPC flow logs deleted (\(ids.count) flow log(s))",
            evidence: [.init("flowLogIds", .array(ids.map(JSONValue.string))), RuleSupport.callerEvidence(event)])
    }
}

/// `dns-query-logging-deleted`: Route 53 query logging or Resolver query logging removed.
struct DNSQueryLoggingDeletedRule: EventRule {
    let id = "dns-query-logging-deleted"
    let eventNames = ["DeleteQueryLoggingConfig", "DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard
            event.field(.eventSource, equals: "route53.amazonaws.com")
                || event.field(.eventSource, equals: "route53resolver.amazonaws.com")
        else { return nil }
        let parameters = event.json(.requestParameters)
        let config =
            RuleSupport.string(parameters?["id"]) ?? RuleSupport.string(parameters?["resolverQueryLogConfigId"])
            ?? "unknown"
        return EventMatch(
            subject: config, title: "DNS query logging removed (\(event.string(.eventName) ?? ""), \(config))",
            evidence: [.init("configId", .string(config)), RuleSupport.callerEvidence(event)])
    }
}

/// `organization-left`: `LeaveOrganization`.
struct OrganizationLeftRule: EventRule {
    let id = "organization-left"
    let eventNames = ["LeaveOrganization"]

    func inspect(_ event: EventView) -> EventMatch? {
        let account = event.string(.recipientAccountId) ?? "unknown account"
        return EventMatch(
            subject: account, title: "Account \(account) left its AWS Organization",
            evidence: [.init("account", .string(account)), RuleSupport.callerEvidence(event)])
    }
}

/// `federation-token-created`: `GetFederationToken` signed with a long-term key.
struct FederationTokenCreatedRule: EventRule {
    let id = "federation-token-created"
    let eventNames = ["GetFederationToken"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.field(.accessKeyId, hasPrefix: "AKIA") else { return nil }
        let name = RuleSupport.string(event.json(.requestParameters)?["name"]) ?? "unnamed"
        return EventMatch(
            subject: name, title: "Federation token \(name) created with a long-term key",
            evidence: [.init("federatedName", .string(name)), RuleSupport.callerEvidence(event)])
    }
}
