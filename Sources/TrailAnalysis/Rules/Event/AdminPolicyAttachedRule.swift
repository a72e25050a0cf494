import TrailModel

/// `admin-policy-attached`: `AdministratorAccess` (exactly) attached, or an inline policy allowing `*` on `*`.
struct AdminPolicyAttachedRule: EventRule {
    let id = "admin-policy-attached"
    let eventNames = [
        "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "PutUserPolicy", "PutGroupPolicy",
        "PutRolePolicy",
    ]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        let target = Self.target(parameters)
        if event.field(.eventName, hasPrefix: "Attach") {
            guard let arn = parameters["policyArn"]?.stringValue, Self.isAdministratorAccess(arn) else { return nil }
            return EventMatch(
                subject: target.name, title: "AdministratorAccess attached to \(target.kind) \(target.name)",
                evidence: [
                    .init(target.kind, .string(target.name)), .init("policyArn", .string(arn)),
                    RuleSupport.callerEvidence(event),
                ])
        }
        let statements = RuleSupport.statements(of: parameters["policyDocument"])
        guard statements.contains(where: Self.grantsEverything) else { return nil }
        let policy = parameters["policyName"]?.stringValue ?? "inline policy"
        return EventMatch(
            subject: target.name, title: "Inline policy \(policy) grants \(target.kind) \(target.name) every action",
            evidence: [
                .init(target.kind, .string(target.name)), .init("policyName", .string(policy)),
                RuleSupport.callerEvidence(event),
            ])
    }

    static func isAdministratorAccess(_ arn: String) -> Bool {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[4] == "aws"
            && parts[5] == "policy/AdministratorAccess"
    }

    static func grantsEverything(_ statement: JSONValue) -> Bool {
        RuleSupport.allows(statement) && RuleSupport.strings(statement["Action"]).contains("*")
            && RuleSupport.strings(statement["Resource"]).contains("*")
    }

    static func target(_ parameters: JSONValue) -> (kind: String, name: String) {
        for kind in ["userName", "groupName", "roleName"] {
            if let name = parameters[kind]?.stringValue { return (String(kind.dropLast(4)), name) }
        }
        return ("principal", "unknown")
    }
}
