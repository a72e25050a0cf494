/// One access key as an inventory (credential report, `list-access-keys`) describes it.
public struct InventoryKey: Sendable, Equatable {
    /// The credential report's name for the root user.
    public static let rootUserName = "<root_account>"

    /// The key's user; ``rootUserName`` for the root user.
    public var userName: String
    public var userArn: String?
    /// The credential report slot (1 or 2), when known.
    public var slot: Int?
    /// The key ID, when known (`list-access-keys` gives it; the credential report does not).
    public var accessKeyId: String?
    public var isActive: Bool
    /// When the key was created or last rotated.
    public var created: Int64?
    /// The report's last-used date (AWS tracks it to the day).
    public var lastUsed: Int64?
    public var lastUsedService: String?
    public var lastUsedRegion: String?
    /// Where the facts came from: `file:line`.
    public var source: String

    public init(
        userName: String, userArn: String? = nil, slot: Int? = nil, accessKeyId: String? = nil, isActive: Bool,
        created: Int64? = nil, lastUsed: Int64? = nil, lastUsedService: String? = nil, lastUsedRegion: String? = nil,
        source: String
    ) {
        self.userName = userName
        self.userArn = userArn
        self.slot = slot
        self.accessKeyId = accessKeyId
        self.isActive = isActive
        self.created = created
        self.lastUsed = lastUsed
        self.lastUsedService = lastUsedService
        self.lastUsedRegion = lastUsedRegion
        self.source = source
    }

    /// Whether the key belongs to the root user.
    public var isRoot: Bool { userName == Self.rootUserName }

    /// How the key is named for people: its ID, or the user and slot.
    public var label: String {
        if let accessKeyId { return accessKeyId }
        return "\(isRoot ? "root" : userName)'s access key \(slot.map(String.init) ?? "?")"
    }
}
