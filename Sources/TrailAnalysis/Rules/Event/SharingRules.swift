import TrailModel

/// Who a share adds: everyone (`all`) and other accounts.
struct ShareTargets {
    var everyone = false
    var accounts: [String] = []

    /// Critical when public, high when another account, nothing when only the owner.
    func match(subject: String, kind: String, owner: String?, _ event: EventView) -> EventMatch? {
        let others = accounts.filter { $0 != owner }
        guard everyone || !others.isEmpty else { return nil }
        let audience =
            everyone ? "everyone" : "account" + (others.count > 1 ? "s " : " ") + others.joined(separator: ", ")
        return EventMatch(
            subject: subject, title: "\(kind) \(subject) shared with \(audience)", severity: everyone ? .critical : nil,
            evidence: [
                .init(kind.lowercased().replacingSpaces, .string(subject)), .init("public", .bool(everyone)),
                .init("accounts", .array(others.map(JSONValue.string))), RuleSupport.callerEvidence(event),
            ])
    }
}

extension String {
    fileprivate var replacingSpaces: String { split(separator: " ").joined(separator: "") }
}

/// `snapshot-shared`: EBS `ModifySnapshotAttribute` adding create-volume permission, RDS
/// `ModifyDB(Cluster)SnapshotAttribute` adding restore permission.
struct SnapshotSharedRule: EventRule {
    let id = "snapshot-shared"
    let eventNames = ["ModifySnapshotAttribute", "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        var targets = ShareTargets()
        let subject: String
        if event.field(.eventName, equals: "ModifySnapshotAttribute") {
            subject = RuleSupport.string(parameters["snapshotId"]) ?? "unknown snapshot"
            for item in parameters["createVolumePermission"]?["add"]?["items"]?.asList ?? [] {
                if item["group"]?.stringValue == "all" { targets.everyone = true }
                if let account = item["userId"]?.stringValue { targets.accounts.append(account) }
            }
        } else {
            guard parameters["attributeName"]?.stringValue == "restore" else { return nil }
            subject =
                RuleSupport.string(parameters["dBSnapshotIdentifier"])
                ?? RuleSupport.string(parameters["dBClusterSnapshotIdentifier"]) ?? "unknown snapshot"
            for value in RuleSupport.strings(parameters["valuesToAdd"]) {
                if value == "all" { targets.everyone = true } else { targets.accounts.append(value) }
            }
        }
        return targets.match(subject: subject, kind: "Snapshot", owner: event.string(.recipientAccountId), event)
    }
}

/// `image-shared`: `ModifyImageAttribute` adding launch permission.
struct ImageSharedRule: EventRule {
    let id = "image-shared"
    let eventNames = ["ModifyImageAttribute"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        var targets = ShareTargets()
        for item in parameters["launchPermission"]?["add"]?["items"]?.asList ?? [] {
            if item["group"]?.stringValue == "all" { targets.everyone = true }
            if let account = item["userId"]?.stringValue { targets.accounts.append(account) }
        }
        let image = RuleSupport.string(parameters["imageId"]) ?? "unknown image"
        return targets.match(subject: image, kind: "Image", owner: event.string(.recipientAccountId), event)
    }
}
