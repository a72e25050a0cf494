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
        let order = keyOrder()
        let threads = max(1, min(threads, count / 1_024 + 1))
        // Threads take chunks in turn rather than halves: keys sorted by ID put every long-term (AKIA) key before
        // the session (ASIA) keys, which cost less to build, so halves left one thread idle for a tenth of the phase.
        let chunk = 256
        // Event names, sources and regions made into strings and ranked once, for every thread.
        let shared = UncheckedSendable((aggregator: self, order: order, names: RankedStrings(names)))
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let (aggregator, order, names) = shared.value
                let strings = Resolvers(aggregator, names: names)
                for start in stride(from: part * chunk, to: count, by: chunk * threads) {
                    let end = min(start + chunk, count)
                    for position in start..<end {
                        // Sorted by key, the records are read at random: load the one four ahead meanwhile, what
                        // its record points to two ahead, once the record is there, and its principal's ARN (a
                        // string per role session) one ahead, once the ARN's entry is there.
                        if position + 4 < end {
                            let ahead = order[position + 4]
                            KeyTable.prefetch(aggregator.state.pointee.keys.pointer(Int(ahead)), fromLine: 0)
                            aggregator.keyIDs.prefetchEntry(ahead)
                        }
                        if position + 2 < end {
                            let ahead = order[position + 2]
                            let record = aggregator.state.pointee.keys.pointer(Int(ahead))
                            aggregator.keyIDs.prefetchBytes(ahead)
                            record.pointee.eventSources.prefetchOverflow()
                            record.pointee.eventNames.prefetchOverflow()
                            record.pointee.sourceIPs.prefetchOverflow()
                            record.pointee.userAgents.prefetchOverflow()
                            record.pointee.regions.prefetchOverflow()
                            if let arn = record.pointee.principal.arn { strings.identities.prefetch(arn) }
                        }
                        if position + 1 < end {
                            let next = aggregator.state.pointee.keys.pointer(Int(order[position + 1]))
                            if let arn = next.pointee.principal.arn { strings.identities.prefetchBytes(arn) }
                        }
                        (output.value.baseAddress! + position).initialize(
                            to: aggregator.activity(at: Int(order[position]), strings))
                    }
                }
            }
            initialized = count
        }
    }

    /// The keys' indices in the order of their IDs' bytes.
    ///
    /// Sorted on their first 16 bytes as two big-endian integers (an access key ID is 20 bytes, and its first 16
    /// almost always differ), comparing whole IDs only on a tie: comparing byte slices for every step of the sort
    /// was 50 ms of one thread for 50,000 keys, while the other thread waited.
    func keyOrder() -> [UInt32] {
        struct Entry {
            var high: UInt64
            var low: UInt64
            var index: UInt32
        }
        var entries = (0..<UInt32(keyCount)).map { index in
            let (high, low) = Self.orderPrefix(keyIDs.bytes(index))
            return Entry(high: high, low: low, index: index)
        }
        entries.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return keyIDs.bytes(a.index).lexicographicallyPrecedes(keyIDs.bytes(b.index))
        }
        return entries.map(\.index)
    }

    /// The first 16 bytes as two big-endian words, zero-padded. Where the words differ they order as the bytes
    /// do (a shorter ID pads with zeros, below any byte that a longer one has there); where they are equal, the
    /// bytes decide.
    static func orderPrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { words in
            words.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).prefix(16)))
        }
        return (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1))
    }

    /// One thread's caches of resolved strings.
    private struct Resolvers {
        let names: ResolvedStrings
        let addresses: ResolvedStrings
        let agents: ResolvedStrings
        let identities: ResolvedStrings

        init(_ aggregator: KeyAggregator, names ranked: RankedStrings) {
            names = ResolvedStrings(aggregator.names, ranked: ranked)
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
