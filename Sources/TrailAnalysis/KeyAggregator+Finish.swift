import Dispatch
import TrailModel

extension KeyAggregator {
    /// The activity of every key seen, sorted by access key ID.
    ///
    /// Keys are ordered by their interned bytes first (UTF-8 byte order, the same as ``AccessKeyID``'s order) and
    /// then built in that order, so no large structs are moved by a sort. With several threads, each builds a
    /// contiguous range with its own string caches; the aggregator is only read.
    ///
    /// (Workers' aggregators are merged with ``absorb(_:)`` first. Building the keys of each worker separately and
    /// merging shared keys as records, on every thread, measured slower on the 1 GB corpus with two workers (merge and
    /// resolve 290–370 ms against 260–320): session keys often span two workers' files, and merging records
    /// compares strings where absorbing compares ids.)
    /// - Parameter threads: how many threads build the records.
    public func finish(threads: Int = 1) -> [KeyActivity] {
        let count = keyCount
        var order = Array(0..<UInt32(count))
        order.sort { keyIDs.bytes($0).lexicographicallyPrecedes(keyIDs.bytes($1)) }
        let threads = max(1, min(threads, count / 1_024 + 1))
        let shared = UncheckedSendable((aggregator: self, order: order))
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let strings = Resolvers(shared.value.aggregator)
                let (aggregator, order) = shared.value
                let range = count * part / threads..<count * (part + 1) / threads
                for position in range {
                    // Sorted by key, the records are read at random: load the one four ahead meanwhile.
                    if position + 4 < range.upperBound {
                        KeyTable.prefetch(aggregator.state.pointee.keys.pointer(Int(order[position + 4])), fromLine: 0)
                    }
                    (output.value.baseAddress! + position).initialize(
                        to: aggregator.activity(at: Int(order[position]), strings))
                }
            }
            initialized = count
        }
    }

    /// One thread's caches of resolved strings.
    private struct Resolvers {
        let names: ResolvedStrings
        let addresses: ResolvedStrings
        let agents: ResolvedStrings
        let identities: ResolvedStrings

        init(_ aggregator: KeyAggregator) {
            names = ResolvedStrings(aggregator.names)
            addresses = ResolvedStrings(aggregator.addresses)
            agents = ResolvedStrings(aggregator.agents)
            identities = ResolvedStrings(aggregator.identities)
        }
    }

    private func activity(at index: Int, _ strings: Resolvers) -> KeyActivity {
        let local = state.pointee.keys.pointer(index)
        var hours = [Int](repeating: 0, count: 24)
        for hour in 0..<24 { hours[hour] = Int(local.pointee.activeHours[hour]) }
        return KeyActivity(
            accessKeyID: AccessKeyID(keyIDs.string(UInt32(index))),
            principal: principal(local.pointee.principal, strings.identities), events: local.pointee.events,
            errors: local.pointee.errors, firstSeen: local.pointee.firstSeen, lastSeen: local.pointee.lastSeen,
            eventSources: local.pointee.eventSources.resolved(strings.names, cap: nil),
            eventNames: local.pointee.eventNames.resolved(strings.names, cap: nil),
            sourceIPs: local.pointee.sourceIPs.resolved(strings.addresses, cap: valueCap),
            userAgents: local.pointee.userAgents.resolved(strings.agents, cap: valueCap),
            regions: local.pointee.regions.resolved(strings.names, cap: valueCap), activeHours: hours,
            dailyEvents: local.pointee.dailyEvents(), directEvents: local.pointee.directEvents,
            lastDirectUse: local.pointee.lastDirectUse == .min ? nil : local.pointee.lastDirectUse,
            lastSuccess: local.pointee.lastSuccess == .min ? nil : local.pointee.lastSuccess,
            dailyNetworks: local.pointee.dailyNetworks())
    }

    private func principal(_ ids: LocalKeyActivity.PrincipalIDs, _ resolved: ResolvedStrings) -> Principal {
        Principal(
            type: ids.type.map { resolved[$0] }, arn: ids.arn.map { resolved[$0] },
            userName: ids.userName.map { resolved[$0] }, accountId: ids.accountId.map { resolved[$0] },
            sessionIssuerArn: ids.sessionIssuerArn.map { resolved[$0] })
    }
}
