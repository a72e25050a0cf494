import TrailModel

/// `role-trust-external-account`: a trust policy (new role or changed) allowing another account or anyone. Which
/// accounts are "external" is known only after the scan (the accounts the logs come from, plus configured ones),
/// so the match lists every account it trusts and the engine keeps it only if one of them is external.
struct RoleTrustExternalAccountRule: EventRule {
    let id = "role-trust-external-account"
    let eventNames = ["UpdateAssumeRolePolicy", "CreateRole"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        let role = parameters["roleName"]?.stringValue ?? "unknown role"
        let policy = parameters["policyDocument"] ?? parameters["assumeRolePolicyDocument"]
        var trusted = Set<String>()
        for statement in RuleSupport.statements(of: policy) where RuleSupport.allows(statement) {
            for principal in RuleSupport.awsPrincipals(statement) {
                if principal == "*" {
                    trusted.insert("*")
                } else if let account = RuleSupport.accountID(inPrincipal: principal) {
                    trusted.insert(account)
                }
            }
        }
        guard !trusted.isEmpty else { return nil }
        let accounts = trusted.sorted()
        return EventMatch(
            subject: role, title: "Role \(role) trusts " + (trusted.contains("*") ? "anyone" : "another account"),
            severity: trusted.contains("*") ? .critical : nil,
            evidence: [
                .init("role", .string(role)), .init("trustedAccounts", .array(accounts.map(JSONValue.string))),
                RuleSupport.callerEvidence(event),
            ])
    }
}
