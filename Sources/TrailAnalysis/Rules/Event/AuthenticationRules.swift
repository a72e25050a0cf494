import TrailModel

/// `mfa-device-deactivated`: `DeactivateMFADevice` and `DeleteVirtualMFADevice`.
struct MFADeviceDeactivatedRule: EventRule {
    let id = "mfa-device-deactivated"
    let eventNames = ["DeactivateMFADevice", "DeleteVirtualMFADevice"]

    func inspect(_ event: EventView) -> EventMatch? {
        let parameters = event.json(.requestParameters)
        let user = RuleSupport.string(parameters?["userName"])
        let device = RuleSupport.string(parameters?["serialNumber"]) ?? "unknown device"
        let owner = user ?? event.callerName ?? "unknown user"
        let deleted = event.field(.eventName, equals: "DeleteVirtualMFADevice")
        return EventMatch(
            subject: owner + " " + device,
            title: "MFA device \(deleted ? "deleted" : "deactivated") for \(owner)",
            evidence: [
                .init("user", .string(owner)), .init("device", .string(device)), RuleSupport.callerEvidence(event),
            ])
    }
}

/// `console-login-without-mfa`: a successful `ConsoleLogin` of an IAM user or root with `MFAUsed: No`. Failed
/// sign-ins (`ConsoleLogin: Failure`, which CloudTrail records without an `errorCode`) do not count.
struct ConsoleLoginWithoutMFARule: EventRule {
    let id = "console-login-without-mfa"
    let eventNames = ["ConsoleLogin"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard event.isRoot || event.field(.identityType, equals: "IAMUser") else { return nil }
        guard event.json(.responseElements)?["ConsoleLogin"]?.stringValue == "Success",
            event.json(.additionalEventData)?["MFAUsed"]?.stringValue?.lowercased() == "no"
        else { return nil }
        let who = event.isRoot ? "root" : (event.string(.userName) ?? "an IAM user")
        return EventMatch(
            subject: who, title: "Console sign-in without MFA by \(who)", severity: event.isRoot ? .high : nil,
            evidence: [
                .init("user", .string(who)), .init("sourceIPAddress", .string(event.string(.sourceIPAddress) ?? "")),
                .init("userAgent", .string(event.string(.userAgent) ?? "")),
            ])
    }
}
