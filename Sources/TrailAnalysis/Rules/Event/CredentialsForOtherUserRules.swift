import TrailModel

/// `access-key-created-for-other-user`: `CreateAccessKey` naming a user other than the caller.
struct AccessKeyCreatedForOtherUserRule: EventRule {
    let id = "access-key-created-for-other-user"
    let eventNames = ["CreateAccessKey"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let target = OtherUser.target(event) else { return nil }
        let newKey = event.json(.responseElements)?["accessKey"]?["accessKeyId"]?.stringValue
        var evidence: [JSONValue.Member] = [.init("targetUser", .string(target)), RuleSupport.callerEvidence(event)]
        if let newKey { evidence.append(.init("newAccessKeyId", .string(newKey))) }
        return EventMatch(
            subject: target, title: "Access key created for \(target) by \(RuleSupport.caller(event))",
            evidence: evidence)
    }
}

/// `login-profile-changed-for-other-user`: `CreateLoginProfile`/`UpdateLoginProfile` naming another user.
struct LoginProfileChangedForOtherUserRule: EventRule {
    let id = "login-profile-changed-for-other-user"
    let eventNames = ["CreateLoginProfile", "UpdateLoginProfile"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let target = OtherUser.target(event) else { return nil }
        let created = event.field(.eventName, equals: "CreateLoginProfile")
        return EventMatch(
            subject: target,
            title: "Console password \(created ? "created" : "changed") for \(target) by \(RuleSupport.caller(event))",
            evidence: [.init("targetUser", .string(target)), RuleSupport.callerEvidence(event)])
    }
}

/// The user an IAM call acts on, when it is not the caller itself.
enum OtherUser {
    static func target(_ event: EventView) -> String? {
        guard let target = RuleSupport.string(event.json(.requestParameters)?["userName"]), !target.isEmpty else {
            return nil
        }
        if event.field(.identityType, equals: "IAMUser"), event.string(.userName) == target { return nil }
        return target
    }
}
