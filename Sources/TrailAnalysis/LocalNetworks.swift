import TrailModel

/// The networks of direct use of a long-term key on the day being filled, while there are at most four: kept in the
/// key's record (``LocalKeyActivity``), which ``KeyAggregator/lookUp(_:)`` has loaded by the time the event is
/// counted. A ``NetworkSet``'s own array was a cache miss for nearly every direct-use event of a long-term key once
/// there were thousands of keys.
///
/// A fifth network makes the record move the day's networks to a ``NetworkSet`` (``isSpilled``).
struct LocalNetworks {
    /// How many networks are kept here before the record moves them to a set.
    static let capacity = 4

    private var prefixes = InlineArray<4, UInt64>(repeating: 0)
    /// How many of `prefixes` are used, in the order they came; `spilledMark` once the day's networks are in a set.
    private var used: UInt8
    private static let spilledMark = UInt8.max

    /// No networks yet, or (`spilled`) none here because the day's networks are in a set.
    init(spilled: Bool = false) { used = spilled ? Self.spilledMark : 0 }

    /// Whether the day's networks are in a set instead of here.
    var isSpilled: Bool { used == Self.spilledMark }

    /// Adds `prefix` if it is not here yet. The caller checks ``isSpilled`` first (on every direct-use event, so it is
    /// not checked twice in release builds).
    /// - Returns: false if it is new and there is no room: the caller moves the networks to a set.
    @inline(__always)
    mutating func insert(_ prefix: UInt64) -> Bool {
        assert(!isSpilled, "networks inserted after they moved to a set")
        let count = Int(used)
        for index in 0..<count where prefixes[index] == prefix { return true }
        guard count < Self.capacity else { return false }
        prefixes[count] = prefix
        used += 1
        return true
    }

    /// The networks as a set, inserted in the order they came.
    func set() -> NetworkSet {
        var set = NetworkSet()
        if !isSpilled {
            for index in 0..<Int(used) { set.insert(prefixes[index]) }
        }
        return set
    }
}
