import TrailModel

/// One access key as every source knows it: its activity in the logs, its inventory entry, its lifecycle events.
public struct KnownKey: Sendable {
    /// Whether the key can sign requests.
    public enum Status: Sendable, Equatable {
        case active
        case inactive
        case deleted
        /// Seen in the logs only: no inventory or lifecycle event says.
        case unknown
    }

    public var accessKeyId: String?
    public var userName: String?
    public var isRoot: Bool
    public var activity: KeyActivity?
    public var inventory: InventoryKey?
    /// Lifecycle events of the key, oldest first.
    public var lifecycle: [KeyLifecycleEvent]
    public var status: Status
    /// When the key was created or last rotated, if any source says.
    public var created: Int64?

    /// How the key is named in titles.
    public var label: String {
        if let accessKeyId { return accessKeyId }
        return inventory?.label ?? "an access key of \(userName ?? "an unknown user")"
    }

    /// The key with its owner, for titles: "access key AKIA… of alice", "alice's access key 2".
    public var phrase: String {
        let owner = userName ?? (isRoot ? "root" : "an unknown user")
        if let accessKeyId { return "access key \(accessKeyId) of \(owner)" }
        if let slot = inventory?.slot { return "\(owner)'s access key \(slot)" }
        return "an access key of \(owner)"
    }

    /// The identity the key belongs to.
    public var principal: Principal? {
        if let activity { return activity.principal }
        guard let userName else { return isRoot ? Principal(type: "Root") : nil }
        return Principal(type: isRoot ? "Root" : "IAMUser", arn: inventory?.userArn, userName: isRoot ? nil : userName)
    }

    /// The latest use any source knows: direct use in the logs, or the inventory's last-used date.
    public var lastUse: Int64? {
        [activity?.lastDirectUse, inventory?.lastUsed].compactMap { $0 }.max()
    }

    /// Whether the key is a long-term key (an `AKIA` ID, or any key an inventory lists).
    public var isLongTerm: Bool {
        if let accessKeyId { return AccessKeyKind.classify(accessKeyId.utf8) == .longTerm }
        return inventory != nil
    }

    /// Every key the sources mention, joined where they describe the same key: keys with activity in the order of
    /// `activities`, then keys known only from lifecycle events (oldest first) and inventories (file order). The
    /// keys are built in place through an index of positions, never sorted or moved.
    public static func assemble(
        activities: [KeyActivity], inventory: KeyInventory, lifecycle: [KeyLifecycleEvent]
    ) -> [KnownKey] {
        var keys: [KnownKey] = []
        var position: [String: Int] = [:]
        // Read in place: iterating the array copied every record (retaining its arrays and strings) only to skip
        // the session keys, nine in ten of a large scan's keys; that was ~12 ms of one thread for 50,000 keys.
        activities.withUnsafeBufferPointer { activities in
            for index in activities.indices where activities[index].kind == .longTerm {
                let activity = activities[index]
                let isRoot = activity.principal.type == "Root"
                position[activity.accessKeyID.value] = keys.count
                keys.append(
                    KnownKey(
                        accessKeyId: activity.accessKeyID.value, userName: isRoot ? nil : activity.principal.userName,
                        isRoot: isRoot, activity: activity, inventory: nil, lifecycle: [], status: .unknown,
                        created: nil))
            }
        }
        func index(of id: String, userName: String?, isRoot: Bool) -> Int {
            if let existing = position[id] { return existing }
            position[id] = keys.count
            keys.append(
                KnownKey(
                    accessKeyId: id, userName: userName, isRoot: isRoot, activity: nil, inventory: nil, lifecycle: [],
                    status: .unknown, created: nil))
            return keys.count - 1
        }
        for change in lifecycle.sorted(by: { ($0.time, $0.eventID ?? "") < ($1.time, $1.eventID ?? "") }) {
            let at = index(of: change.accessKeyId, userName: change.userName, isRoot: change.isRootKey)
            keys[at].lifecycle.append(change)
            keys[at].userName = keys[at].userName ?? change.userName
            keys[at].isRoot = keys[at].isRoot || change.isRootKey
            switch change.action {
            case .created:
                keys[at].created = change.time
                keys[at].status = .active
            case .activated: keys[at].status = .active
            case .deactivated: keys[at].status = .inactive
            case .deleted: keys[at].status = .deleted
            }
        }
        var unmatched: [InventoryKey] = []
        for entry in inventory.keys {
            if let id = entry.accessKeyId {
                let at = index(of: id, userName: entry.isRoot ? nil : entry.userName, isRoot: entry.isRoot)
                keys[at].attach(entry)
            } else {
                unmatched.append(entry)
            }
        }
        for entry in unmatched {
            if let at = Self.match(entry, in: keys) {
                keys[at].attach(entry)
            } else {
                keys.append(
                    KnownKey(
                        accessKeyId: nil, userName: entry.isRoot ? nil : entry.userName, isRoot: entry.isRoot,
                        activity: nil, inventory: entry, lifecycle: [], status: entry.isActive ? .active : .inactive,
                        created: entry.created))
            }
        }
        return keys
    }

    private mutating func attach(_ entry: InventoryKey) {
        inventory = entry
        status = entry.isActive ? .active : .inactive
        created = entry.created ?? created
        if entry.isRoot { isRoot = true } else { userName = userName ?? entry.userName }
    }

    /// The logs' key that a report slot without an ID describes: same user, and the same creation time (from a
    /// CreateAccessKey event) or last-used day; or the only candidate of the user.
    private static func match(_ entry: InventoryKey, in keys: [KnownKey]) -> Int? {
        let candidates = keys.indices.filter { index in
            let key = keys[index]
            guard key.inventory == nil else { return false }
            return entry.isRoot ? key.isRoot : key.userName == entry.userName && !key.isRoot
        }
        if let created = entry.created,
            let index = candidates.first(where: { keys[$0].created.map { abs($0 - created) <= 86_400 } ?? false })
        {
            return index
        }
        if let used = entry.lastUsed,
            let index = candidates.first(where: { candidate in
                keys[candidate].activity?.lastDirectUse.map {
                    Timestamp.floorDiv($0, 86_400) == Timestamp.floorDiv(used, 86_400)
                }
                    ?? false
            })
        {
            return index
        }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
