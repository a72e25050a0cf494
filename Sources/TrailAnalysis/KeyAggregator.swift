import TrailModel

/// Builds the activity of every access key from a stream of events: one aggregator per worker, no sharing.
///
/// ``add(_:)`` is the per-event hot path: it looks the key and every value up by their bytes in the scanner's
/// buffer (interned, no `String` per field) and bumps counters in place. ``finish()`` resolves ids to strings and
/// returns ``KeyActivity`` records, which merge associatively with other workers' and with stored history.
///
/// Not thread-safe: one thread uses an aggregator at a time. It is `Sendable` so that a finished worker can hand
/// it to the thread that merges results.
public final class KeyAggregator: @unchecked Sendable {
    /// The mutable state, behind a constant pointer so the hot path pays no dynamic exclusivity checks.
    struct State {
        var keys = KeyTable()
        var recordsWithoutAccessKey = 0
        /// How many distinct source IPs, user agents and regions a key admits exactly before sampling: the value
        /// cap, or less once ``KeyAggregator/shed(toValues:)`` was called.
        var admissionCap: Int
    }

    /// The cap on distinct source IPs, user agents and regions kept exactly per key.
    public let valueCap: Int
    /// One interner per kind of value: the small ones (event names, sources, regions) stay in cache while the
    /// large ones (source IPs, principals) miss.
    let names = ByteInterner()
    let addresses = ByteInterner()
    let agents = ByteInterner()
    let identities = ByteInterner()
    let keyIDs = ByteInterner()
    let state: UnsafeMutablePointer<State>
    /// The id spaces of the dimensions: names (event sources and names, regions), addresses, user agents.
    let nameSpace: ValueSpace
    let addressSpace: ValueSpace
    let agentSpace: ValueSpace

    /// Creates an empty aggregator.
    /// - Parameter valueCap: the cap on distinct source IPs, user agents and regions per key (default 256).
    public init(valueCap: Int = KeyActivity.defaultValueCap) {
        precondition(valueCap > 0, "the value cap must be positive")
        self.valueCap = valueCap
        nameSpace = ValueSpace(interner: names, literalIPv4: false)
        addressSpace = ValueSpace(interner: addresses, literalIPv4: true)
        agentSpace = ValueSpace(interner: agents, literalIPv4: false)
        state = .allocate(capacity: 1)
        state.initialize(to: State(admissionCap: valueCap))
    }

    deinit {
        state.pointee.keys.release()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Admits at most `values` new distinct source IPs, user agents and regions per key from now on: a key that
    /// holds that many already samples further values (bottom-k by stable hash) and counts the rest as other, so
    /// memory stops growing with the values of the archive. The merge and the result keep the full value cap.
    public func shed(toValues values: Int) {
        state.pointee.admissionCap = max(1, min(state.pointee.admissionCap, values))
    }

    /// Whether ``shed(toValues:)`` lowered the admission of new values.
    public var hasShed: Bool { state.pointee.admissionCap < valueCap }

    /// The number of distinct keys so far.
    public var keyCount: Int { state.pointee.keys.count }

    /// Valid records that had no (or an empty) `userIdentity.accessKeyId`.
    public var recordsWithoutAccessKey: Int { state.pointee.recordsWithoutAccessKey }

    /// Starts loading the table slot of a key ID, so that looking it up a little later finds the slot in cache: with
    /// tens of thousands of keys it is mostly a miss. The scanner calls this (``LogFileReader/keyHint``) when it meets
    /// a record's key ID, long before the record is complete. `p` must be readable for 8 bytes past `count`.
    public func prefetchKey(_ p: UnsafePointer<UInt8>, count: Int) {
        guard count > 0 else { return }
        keyIDs.prefetch(p, count: count)
    }

    /// What ``add(_:with:)`` needs from the interners for one event, found by ``lookUp(_:)`` before the event's
    /// key record is touched: the key's index and the ids its values already have.
    public struct EventLookup {
        /// The key's index, or -1 for a key not seen yet (or none).
        fileprivate var key = -1
        fileprivate var source: UInt64?
        fileprivate var name: UInt64?
        fileprivate var address: UInt64?
        fileprivate var agent: UInt64?
        fileprivate var region: UInt64?
    }

    /// Looks up the event's key and values without changing anything, and starts loading the key's record, so that
    /// ``add(_:with:)`` of the same event, called after other work on it (the rules), does not wait for memory:
    /// with tens of thousands of keys the record is mostly a miss, and the lookups here run while it loads.
    /// - Returns: what ``add(_:with:)`` of this event, and only this event, needs.
    @inline(__always)
    public func lookUp(_ event: borrowing EventView) -> EventLookup {
        var found = EventLookup()
        guard let keyBytes = event.bytes(.accessKeyId), keyBytes.count > 0 else { return found }
        if let id = keyIDs.find(keyBytes.baseAddress!, count: keyBytes.count) {
            found.key = Int(id)
            KeyTable.prefetch(state.pointee.keys.pointer(found.key), fromLine: 0)
        }
        found.source = nameSpace.existingID(event.bytes(.eventSource))
        found.name = nameSpace.existingID(event.bytes(.eventName))
        found.address = addressSpace.existingID(event.bytes(.sourceIPAddress))
        found.agent = agentSpace.existingID(event.bytes(.userAgent))
        found.region = nameSpace.existingID(event.bytes(.awsRegion))
        return found
    }

    /// Counts one event.
    public func add(_ event: borrowing EventView) { add(event, with: lookUp(event)) }

    /// Counts one event, with what ``lookUp(_:)`` of it found (and nothing else changed since).
    public func add(_ event: borrowing EventView, with found: EventLookup) {
        guard let keyBytes = event.bytes(.accessKeyId), keyBytes.count > 0 else {
            state.pointee.recordsWithoutAccessKey &+= 1
            return
        }
        let key: UnsafeMutablePointer<LocalKeyActivity>
        if found.key >= 0 {
            key = state.pointee.keys.pointer(found.key)
        } else {
            key = slot(for: keyBytes)
            KeyTable.prefetch(key)
        }
        let time = event.eventTime
        key.pointee.events &+= 1
        if event.isError { key.pointee.errors &+= 1 }
        if time < key.pointee.firstSeen {
            // Records of a file arrive out of time order: an earlier one mostly has the identity already recorded,
            // which a byte compare confirms without hashing five strings. (A new key's empty identity compares equal
            // only to an event without identity fields, whose interned identity would be empty too.)
            if !sameIdentity(event, key.pointee.principal) { key.pointee.principal = principalIDs(event) }
            key.pointee.firstSeen = time
        } else if time == key.pointee.firstSeen {
            if !sameIdentity(event, key.pointee.principal) {
                let candidate = principalIDs(event)
                if precedes(candidate, key.pointee.principal) { key.pointee.principal = candidate }
            }
        }
        if time > key.pointee.lastSeen { key.pointee.lastSeen = time }
        if let source = event.bytes(.eventSource) {
            key.pointee.eventSources.add(source, known: found.source, cap: nil, space: nameSpace)
        }
        if let name = event.bytes(.eventName) {
            key.pointee.eventNames.add(name, known: found.name, cap: nil, space: nameSpace)
        }
        let cap = state.pointee.admissionCap
        if let ip = event.bytes(.sourceIPAddress) {
            key.pointee.sourceIPs.add(ip, known: found.address, cap: cap, space: addressSpace)
        }
        if let agent = event.bytes(.userAgent) {
            key.pointee.userAgents.add(agent, known: found.agent, cap: cap, space: agentSpace)
        }
        if let region = event.bytes(.awsRegion) {
            key.pointee.regions.add(region, known: found.region, cap: cap, space: nameSpace)
        }
        key.pointee.activeHours[event.hourOfDay] &+= 1
        let day = event.dayNumber
        key.pointee.addDay(day)
        if !event.isError && time > key.pointee.lastSuccess { key.pointee.lastSuccess = time }
        if event.isDirectUse {
            key.pointee.directEvents &+= 1
            if time > key.pointee.lastDirectUse { key.pointee.lastDirectUse = time }
            if key.pointee.isLongTerm, let ip = event.bytes(.sourceIPAddress),
                let prefix = NetworkPrefix.of(ip.baseAddress!, count: ip.count)
            {
                key.pointee.addNetwork(prefix, day: day)
            }
        }
    }

    /// The key's running activity, created on first sight.
    @inline(__always)
    func slot(for keyBytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<LocalKeyActivity> {
        // The index first: creating the key may move the table.
        let index = slotIndex(for: keyBytes)
        return state.pointee.keys.pointer(index)
    }

    /// The index of the key's running activity, created on first sight.
    @inline(__always)
    func slotIndex(for keyBytes: UnsafeBufferPointer<UInt8>) -> Int {
        let index = Int(keyIDs.intern(keyBytes))
        if index == state.pointee.keys.count {
            let longTerm = keyBytes.count > 4 && AccessKeyKind.classify(keyBytes) == .longTerm
            state.pointee.keys.append(LocalKeyActivity(isLongTerm: longTerm))
        }
        return index
    }

    private func principalIDs(_ event: borrowing EventView) -> LocalKeyActivity.PrincipalIDs {
        LocalKeyActivity.PrincipalIDs(
            type: identityID(event.bytes(.identityType)), arn: identityID(event.bytes(.arn)),
            userName: identityID(event.bytes(.userName)), accountId: identityID(event.bytes(.accountId)),
            sessionIssuerArn: identityID(event.bytes(.sessionIssuerArn)))
    }

    private func identityID(_ bytes: UnsafeBufferPointer<UInt8>?) -> UInt32? {
        guard let bytes, bytes.count > 0 else { return nil }
        return identities.intern(bytes)
    }

    /// `Principal`'s order (arn, type, user name, account, issuer; absent first), on the interned bytes.
    func precedes(_ a: LocalKeyActivity.PrincipalIDs, _ b: LocalKeyActivity.PrincipalIDs) -> Bool {
        let pairs = [
            (a.arn, b.arn), (a.type, b.type), (a.userName, b.userName), (a.accountId, b.accountId),
            (a.sessionIssuerArn, b.sessionIssuerArn),
        ]
        for (left, right) in pairs where left != right {
            guard let left else { return true }
            guard let right else { return false }
            return identities.bytes(left).lexicographicallyPrecedes(identities.bytes(right))
        }
        return false
    }

    /// Whether the event's identity is the one already recorded, compared on bytes without interning.
    private func sameIdentity(_ event: borrowing EventView, _ ids: LocalKeyActivity.PrincipalIDs) -> Bool {
        // Explicit guards: `&&` would capture the borrowed event in autoclosures.
        guard same(event.bytes(.arn), ids.arn) else { return false }
        guard same(event.bytes(.identityType), ids.type) else { return false }
        guard same(event.bytes(.userName), ids.userName) else { return false }
        guard same(event.bytes(.accountId), ids.accountId) else { return false }
        return same(event.bytes(.sessionIssuerArn), ids.sessionIssuerArn)
    }

    private func same(_ bytes: UnsafeBufferPointer<UInt8>?, _ id: UInt32?) -> Bool {
        guard let bytes, bytes.count > 0 else { return id == nil }
        guard let id else { return false }
        let known = identities.bytes(id)
        return known.count == bytes.count && memoryEquals(known.baseAddress!, bytes.baseAddress!, bytes.count)
    }
}
