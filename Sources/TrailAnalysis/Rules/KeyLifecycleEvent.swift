import TrailModel

/// A change to an access key recorded in the logs: created, activated, deactivated or deleted.
///
/// With these, keys created and changed inside the scanned window are known without any inventory.
public struct KeyLifecycleEvent: Sendable, Equatable {
    public enum Action: String, Sendable {
        case created, activated, deactivated, deleted
    }

    public var time: Int64
    public var accessKeyId: String
    public var action: Action
    /// The key's user; nil for the root user's own keys.
    public var userName: String?
    /// Whether the key belongs to the root user.
    public var isRootKey: Bool
    /// Who made the change.
    public var callerArn: String?
    public var eventID: String?

    public init(
        time: Int64, accessKeyId: String, action: Action, userName: String?, isRootKey: Bool, callerArn: String?,
        eventID: String?
    ) {
        self.time = time
        self.accessKeyId = accessKeyId
        self.action = action
        self.userName = userName
        self.isRootKey = isRootKey
        self.callerArn = callerArn
        self.eventID = eventID
    }

    /// The change an IAM key-management record makes, if it is one.
    static func from(_ event: EventView) -> KeyLifecycleEvent? {
        let parameters = event.json(.requestParameters)
        let target = RuleSupport.string(parameters?["userName"])
        let owner = target ?? (event.isRoot ? nil : event.string(.userName))
        let isRootKey = event.isRoot && target == nil
        let action: Action
        let keyID: String?
        if event.field(.eventName, equals: "CreateAccessKey") {
            action = .created
            keyID = event.json(.responseElements)?["accessKey"]?["accessKeyId"]?.stringValue
        } else if event.field(.eventName, equals: "UpdateAccessKey") {
            let status = RuleSupport.string(parameters?["status"])?.lowercased()
            guard status == "active" || status == "inactive" else { return nil }
            action = status == "active" ? .activated : .deactivated
            keyID = RuleSupport.string(parameters?["accessKeyId"])
        } else if event.field(.eventName, equals: "DeleteAccessKey") {
            action = .deleted
            keyID = RuleSupport.string(parameters?["accessKeyId"])
        } else {
            return nil
        }
        guard let keyID, !keyID.isEmpty else { return nil }
        return KeyLifecycleEvent(
            time: event.eventTime, accessKeyId: keyID, action: action, userName: owner, isRootKey: isRootKey,
            callerArn: event.string(.arn), eventID: event.string(.eventID))
    }
}
