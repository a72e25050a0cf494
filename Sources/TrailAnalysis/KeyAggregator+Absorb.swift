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
        for index in 0..<other.state.pointee.keyCount {
            let incoming = other.state.pointee.keys + index
            let key = slot(for: other.keyIDs.bytes(UInt32(index)))
            absorbKey(incoming, from: other, into: key, remaps: &remaps)
        }
    }

    /// Forgets everything counted, keeping the memory for the next batch.
    public func reset() {
        state.pointee.keys.deinitialize(count: state.pointee.keyCount)
        state.pointee.keyCount = 0
        state.pointee.recordsWithoutAccessKey = 0
        for interner in [names, addresses, agents, identities, keyIDs] { interner.removeAll() }
    }

    /// Events counted into keys so far.
    public var eventsCounted: Int {
        (0..<state.pointee.keyCount).reduce(0) { $0 + state.pointee.keys[$1].events }
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
        let theirs = incoming.pointee
        guard theirs.events > 0 else { return }
        // The principal only matters if theirs is earlier (or as early); remapping it interns five strings.
        if key.pointee.events == 0 || theirs.firstSeen <= key.pointee.firstSeen {
            let principal = LocalKeyActivity.PrincipalIDs(
                type: theirs.principal.type.map { remaps.identities.id($0, from: other.identities, into: identities) },
                arn: theirs.principal.arn.map { remaps.identities.id($0, from: other.identities, into: identities) },
                userName: theirs.principal.userName.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                accountId: theirs.principal.accountId.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                },
                sessionIssuerArn: theirs.principal.sessionIssuerArn.map {
                    remaps.identities.id($0, from: other.identities, into: identities)
                })
            if key.pointee.events == 0 || theirs.firstSeen < key.pointee.firstSeen
                || (principal != key.pointee.principal && precedes(principal, key.pointee.principal))
            {
                key.pointee.principal = principal
            }
        }
        key.pointee.events += theirs.events
        key.pointee.errors += theirs.errors
        key.pointee.firstSeen = min(key.pointee.firstSeen, theirs.firstSeen)
        key.pointee.lastSeen = max(key.pointee.lastSeen, theirs.lastSeen)
        key.pointee.eventSources.absorb(
            theirs.eventSources, cap: nil, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.eventNames.absorb(
            theirs.eventNames, cap: nil, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.regions.absorb(
            theirs.regions, cap: valueCap, source: other.nameSpace, target: nameSpace, remap: &remaps.names)
        key.pointee.sourceIPs.absorb(
            theirs.sourceIPs, cap: valueCap, source: other.addressSpace, target: addressSpace,
            remap: &remaps.addresses)
        key.pointee.userAgents.absorb(
            theirs.userAgents, cap: valueCap, source: other.agentSpace, target: agentSpace, remap: &remaps.agents)
        for hour in 0..<24 { key.pointee.activeHours[hour] &+= theirs.activeHours[hour] }
        key.pointee.absorbTimeline(theirs)
    }
}
