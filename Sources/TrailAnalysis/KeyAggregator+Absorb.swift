import TrailModel

extension KeyAggregator {
    /// Merges everything `other` has counted into this aggregator, translating its ids.
    ///
    /// This is how a worker folds a small, cache-resident batch into its large tables (one lookup per distinct key
    /// and value per batch, not per event), and how workers' results are combined without first turning every key
    /// into strings. The result is the same as if this aggregator had seen `other`'s events itself.
    public func absorb(_ other: KeyAggregator) {
        precondition(other.valueCap == valueCap, "absorbing an aggregator with a different value cap")
        var remaps = Remaps()
        state.pointee.recordsWithoutAccessKey += other.state.pointee.recordsWithoutAccessKey
        // Keys arrive in the other table's order and land at random in this one: each key's table slot is
        // prefetched eight keys ahead, and its record, once the slot gives it, four keys ahead.
        let count = other.state.pointee.keys.count
        var targets = InlineArray<4, Int>(repeating: 0)
        func locate(_ index: Int) {
            let target = slotIndex(for: other.keyIDs.bytes(UInt32(index)))
            KeyTable.prefetch(state.pointee.keys.pointer(target), fromLine: 0)
            targets[index & 3] = target
        }
        func prefetchSlot(_ index: Int) {
            let bytes = other.keyIDs.bytes(UInt32(index))
            keyIDs.prefetch(bytes.baseAddress!, count: bytes.count)
        }
        for index in 0..<min(count, 8) { prefetchSlot(index) }
        for index in 0..<min(count, 4) { locate(index) }
        for index in 0..<count {
            let target = state.pointee.keys.pointer(targets[index & 3])
            absorbKey(other.state.pointee.keys.pointer(index), from: other, into: target, remaps: &remaps)
            if index + 8 < count { prefetchSlot(index + 8) }
            if index + 4 < count { locate(index + 4) }
        }
    }

    /// Forgets everything counted, keeping the memory for the next batch.
    public func reset() {
        state.pointee.keys.removeAll()
        state.pointee.recordsWithoutAccessKey = 0
        for interner in [names, addresses, agents, identities, keyIDs] { interner.removeAll() }
    }

    /// Events counted into keys so far.
    public var eventsCounted: Int {
        (0..<state.pointee.keys.count).reduce(0) { $0 + state.pointee.keys.pointer($1).pointee.events }
    }

    private struct Remaps {
        var names = IDRemap()
        var addresses = IDRemap()
        var agents = IDRemap()
        var identities = IDRemap()
    }

    private func absorbKey(
        _ incoming: UnsafeMutablePointer<LocalKeyActivity>, from other: KeyAggregator,
        into key: UnsafeMutablePointer<LocalKeyActivity>, remaps: inout Remaps
    ) {
        // Read in place: copying the record would retain every dictionary it holds.
        let theirs = UnsafePointer(incoming)
        guard theirs.pointee.events > 0 else { return }
        // The principal only matters if theirs is earlier (or as early); remapping it interns five strings.
        if key.pointee.events == 0 || theirs.pointee.firstSeen <= key.pointee.firstSeen {
            let principal = LocalKeyActivity.PrincipalIDs(
                type: theirs.pointee.principal.type.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                arn: theirs.pointee.principal.arn.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                userName: theirs.pointee.principal.userName.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                accountId: theirs.pointee.principal.accountId.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                sessionIssuerArn: theirs.pointee.principal.sessionIssuerArn.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                })
            if key.pointee.events == 0 || theirs.pointee.firstSeen < key.pointee.firstSeen
                || (principal != key.pointee.principal && precedes(principal, key.pointee.principal))
            {
                key.pointee.principal = principal
            }
        }
        key.pointee.events += theirs.pointee.events
        key.pointee.errors += theirs.pointee.errors
        key.pointee.firstSeen = min(key.pointee.firstSeen, theirs.pointee.firstSeen)
        key.pointee.lastSeen = max(key.pointee.lastSeen, theirs.pointee.lastSeen)
        key.pointee.eventSources.absorb(
            theirs.pointee.eventSources, cap: nil, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.eventNames.absorb(
            theirs.pointee.eventNames, cap: nil, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.regions.absorb(
            theirs.pointee.regions, cap: valueCap, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.sourceIPs.absorb(
            theirs.pointee.sourceIPs, cap: valueCap, source: other.addressSpace, target: addressSpace,
            remap: &remaps.addresses)
        key.pointee.userAgents.absorb(
            theirs.pointee.userAgents, cap: valueCap, source: other.agentSpace, target: agentSpace,
            remap: &remaps.agents)
        for hour in 0..<24 { key.pointee.activeHours[hour] &+= theirs.pointee.activeHours[hour] }
        key.pointee.absorbTimeline(theirs.pointee)
    }
}
