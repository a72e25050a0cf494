import TrailModel

/// `compromised-key-quarantine-policy`: AWS's quarantine policies attached to a user.
struct CompromisedKeyQuarantinePolicyRule: EventRule {
    let id = "compromised-key-quarantine-policy"
    let eventNames = ["AttachUserPolicy"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters),
            let arn = parameters["policyArn"]?.stringValue,
            arn.contains("AWSCompromisedKeyQuarantine") || arn.contains("AWSExposedCredentialPolicy_DO_NOT_REMOVE")
        else { return nil }
        let user = parameters["userName"]?.stringValue ?? "unknown user"
        return EventMatch(
            subject: user, title: "AWS quarantined user \(user): one of its keys was found exposed",
            evidence: [
                .init("user", .string(user)), .init("policyArn", .string(arn)), RuleSupport.callerEvidence(event),
            ])
    }
}
