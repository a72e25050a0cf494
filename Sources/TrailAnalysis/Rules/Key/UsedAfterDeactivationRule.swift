import TrailModel

/// `access-key-used-after-deactivation`: a successful call signed by a key after an `UpdateAccessKey` to Inactive or
/// a `DeleteAccessKey` of it, with no reactivation in between (allowing a short propagation delay).
struct AccessKeyUsedAfterDeactivationRule {
    static let id = "access-key-used-after-deactivation"

    func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        guard let activity = key.activity, let lastSuccess = activity.lastSuccess,
            let stop = key.lifecycle.last(where: { $0.action == .deactivated || $0.action == .deleted })
        else { return nil }
        let reactivated = key.lifecycle.contains { $0.action == .activated && $0.time > stop.time }
        guard !reactivated, lastSuccess > stop.time + Int64(context.thresholds.deactivationGraceSeconds) else {
            return nil
        }
        let stopDay = Int32(Timestamp.floorDiv(stop.time, 86_400))
        let laterEvents = activity.dailyEvents.days.filter { $0.day > stopDay }.reduce(0) { $0 + $1.count }
        return context.finding(
            Self.id, key: key,
            title:
                "Access key \(key.label) used after it was \(stop.action == .deleted ? "deleted" : "deactivated")",
            evidence: [
                .init("action", .string(stop.action.rawValue)),
                .init("changedAt", .string(Timestamp.format(stop.time))),
                .init("changedBy", stop.callerArn.map(JSONValue.string) ?? .null),
                .init("lastSuccessfulCall", .string(Timestamp.format(lastSuccess))),
                .init("eventsOnLaterDays", .integer(Int64(laterEvents))),
            ])
    }
}
