import Dispatch
import TrailModel

extension KeyAggregator {
    /// Merges everything `other` has counted into this aggregator, translating its ids.
    ///
    /// This is how workers' results are combined without first turning every key into strings. The result is the
    /// same as if this aggregator had seen `other`'s events itself, for any number of threads.
    ///
    /// Three steps, so that the record merges can run on several threads (the other cores were idle for this
    /// phase, 70-110 ms with two workers on the 1 GB corpus): every string of `other` is interned here first (each
    /// interner by one thread); then each of its keys finds or creates
    /// its record here, in order, as creating a record may move the table; then threads merge disjoint records,
    /// reading only the finished translations. A key whose capped sets may need bottom-k sampling reads stable
    /// hashes, which the interners cache as they go: those keys are merged afterwards on one thread.
    /// - Parameter threads: how many threads merge records.
    public func absorb(_ other: KeyAggregator, threads: Int = 1) {
        precondition(other.valueCap == valueCap, "absorbing an aggregator with a different value cap")
        state.pointee.recordsWithoutAccessKey += other.state.pointee.recordsWithoutAccessKey
        let count = other.state.pointee.keys.count
        let threads = max(1, min(threads, count / 1_024 + 1))
        let (remaps, targets) = translationsAndSlots(from: other, threads: threads)
        let shared = UncheckedSendable((aggregator: self, other: other, remaps: remaps, targets: targets))
        let chunk = 256
        var deferred = [[Int]](repeating: [], count: threads)
        deferred.withUnsafeMutableBufferPointer { deferred in
            let perThread = UncheckedSendable(deferred)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let (aggregator, other, remaps, targets) = shared.value
                for start in stride(from: part * chunk, to: count, by: chunk * threads) {
                    let end = min(start + chunk, count)
                    for index in start..<end {
                        // Records sit at random in this table: load the one four ahead meanwhile.
                        if index + 4 < end {
                            KeyTable.prefetch(aggregator.state.pointee.keys.pointer(targets[index + 4]), fromLine: 0)
                        }
                        let theirs = other.state.pointee.keys.pointer(index)
                        let target = aggregator.state.pointee.keys.pointer(targets[index])
                        if aggregator.mayNeedSampling(target, absorbing: theirs) {
                            perThread.value[part].append(index)
                        } else {
                            aggregator.absorbKey(theirs, from: other, into: target, remaps: remaps)
                        }
                    }
                }
            }
        }
        for index in deferred.joined() {
            absorbKey(
                other.state.pointee.keys.pointer(index), from: other, into: state.pointee.keys.pointer(targets[index]),
                remaps: remaps)
        }
    }

    /// Every string of `other` interned here, as id translations, and the slot here of each of its keys: one task
    /// per interner and one for the key slots, which touch disjoint state, so each is written by one thread only.
    /// (The key slots, ~8 ms with 50,000 keys, ran alone after the translations and left a core idle.)
    private func translationsAndSlots(from other: KeyAggregator, threads: Int) -> (Remaps, [Int]) {
        var remaps: (names: IDRemap?, addresses: IDRemap?, agents: IDRemap?, identities: IDRemap?)
        var targets: [Int] = []
        withUnsafeMutablePointer(to: &remaps) { remaps in
            withUnsafeMutablePointer(to: &targets) { targets in
                let output = UncheckedSendable((remaps, targets))
                // The longest first (threads take them in order): the identities (an ARN per principal), the key
                // slots, then the smaller interners.
                let tasks: [@Sendable () -> Void] = [
                    { output.value.0.pointee.identities = IDRemap(from: other.identities, into: self.identities) },
                    { output.value.1.pointee = self.targetSlots(for: other) },
                    { output.value.0.pointee.addresses = IDRemap(from: other.addresses, into: self.addresses) },
                    { output.value.0.pointee.agents = IDRemap(from: other.agents, into: self.agents) },
                    { output.value.0.pointee.names = IDRemap(from: other.names, into: self.names) },
                ]
                if threads > 1 {
                    DispatchQueue.concurrentPerform(iterations: tasks.count) { tasks[$0]() }
                } else {
                    for task in tasks { task() }
                }
            }
        }
        return (
            Remaps(
                names: remaps.names!, addresses: remaps.addresses!, agents: remaps.agents!,
                identities: remaps.identities!),
            targets
        )
    }

    /// The index here of each of `other`'s keys, creating the records of keys new here.
    private func targetSlots(for other: KeyAggregator) -> [Int] {
        // Key IDs land at random in this table: each one's slot is prefetched eight keys ahead.
        let count = other.state.pointee.keys.count
        func prefetchSlot(_ index: Int) {
            let bytes = other.keyIDs.bytes(UInt32(index))
            keyIDs.prefetch(bytes.baseAddress!, count: bytes.count)
        }
        for index in 0..<min(count, 8) { prefetchSlot(index) }
        return (0..<count).map { index in
            if index + 8 < count { prefetchSlot(index + 8) }
            return slotIndex(for: other.keyIDs.bytes(UInt32(index)))
        }
    }

    /// Whether merging `theirs` into `key` may sample a capped set (see ``absorb(_:threads:)``).
    private func mayNeedSampling(
        _ key: UnsafeMutablePointer<LocalKeyActivity>, absorbing theirs: UnsafeMutablePointer<LocalKeyActivity>
    ) -> Bool {
        key.pointee.regions.mayNeedSampling(absorbing: theirs.pointee.regions, cap: valueCap)
            || key.pointee.sourceIPs.mayNeedSampling(absorbing: theirs.pointee.sourceIPs, cap: valueCap)
            || key.pointee.userAgents.mayNeedSampling(absorbing: theirs.pointee.userAgents, cap: valueCap)
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
        var names: IDRemap
        var addresses: IDRemap
        var agents: IDRemap
        var identities: IDRemap
    }

    private func absorbKey(
        _ incoming: UnsafeMutablePointer<LocalKeyActivity>, from other: KeyAggregator,
        into key: UnsafeMutablePointer<LocalKeyActivity>, remaps: Remaps
    ) {
        // Read in place: copying the record would retain every dictionary it holds.
        let theirs = UnsafePointer(incoming)
        guard theirs.pointee.events > 0 else { return }
        // The principal only matters if theirs is earlier (or as early); remapping it interns five strings.
        if key.pointee.events == 0 || theirs.pointee.firstSeen <= key.pointee.firstSeen {
            let principal = LocalKeyActivity.PrincipalIDs(
                type: theirs.pointee.principal.type.map {
                    remaps.identities[$0]
                },
                arn: theirs.pointee.principal.arn.map {
                    remaps.identities[$0]
                },
                userName: theirs.pointee.principal.userName.map {
                    remaps.identities[$0]
                },
                accountId: theirs.pointee.principal.accountId.map {
                    remaps.identities[$0]
                },
                sessionIssuerArn: theirs.pointee.principal.sessionIssuerArn.map {
                    remaps.identities[$0]
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
            theirs.pointee.eventSources, cap: nil, source: other.nameSpace, target: nameSpace, remap: remaps.names)
        key.pointee.eventNames.absorb(
            theirs.pointee.eventNames, cap: nil, source: other.nameSpace, target: nameSpace, remap: remaps.names)
        key.pointee.regions.absorb(
            theirs.pointee.regions, cap: valueCap, source: other.nameSpace, target: nameSpace, remap: remaps.names)
        key.pointee.sourceIPs.absorb(
            theirs.pointee.sourceIPs, cap: valueCap, source: other.addressSpace, target: addressSpace,
            remap: remaps.addresses)
        key.pointee.userAgents.absorb(
            theirs.pointee.userAgents, cap: valueCap, source: other.agentSpace, target: agentSpace,
            remap: remaps.agents)
        for hour in 0..<24 { key.pointee.activeHours[hour] &+= theirs.pointee.activeHours[hour] }
        key.pointee.absorbTimeline(theirs.pointee)
    }
}
