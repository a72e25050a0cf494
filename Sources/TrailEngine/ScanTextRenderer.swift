import TrailAlerts
import TrailAnalysis
import TrailIngest
import TrailModel

/// Renders a scan for a person: a summary, the keys (long-term keys first, most recently active first) and the
/// inputs that could not be read.
public enum ScanTextRenderer {
    /// How many temporary keys the table lists before summarising the rest.
    public static let temporaryKeyLimit = 25

    /// Renders `result`: ``header(_:)``, the findings, ``trailer(_:)``.
    public static func render(_ result: ScanResult, style: TextStyle = .plain) -> String {
        header(result) + "\n" + FindingTextRenderer.render(result.findings, style: style) + trailer(result)
    }

    /// The summary and the key table: what comes before the findings.
    public static func header(_ result: ScanResult) -> String {
        summary(result) + "\n" + keyTable(result.keys)
    }

    /// The inputs that could not be read and the files ignored: what comes after the findings.
    public static func trailer(_ result: ScanResult) -> String {
        var out = ""
        if !result.stats.errors.isEmpty {
            out += "\nInputs that could not be read completely (\(result.stats.errors.count)):\n"
            for error in result.stats.errors {
                out += "  " + TerminalText.escape(error.path) + ": " + TerminalText.escape(error.message) + "\n"
            }
        }
        if !result.ignoredExamples.isEmpty {
            out += "\nIgnored files (\(result.stats.ignoredFiles)), for example:\n"
            for example in result.ignoredExamples { out += "  " + TerminalText.escape(example) + "\n" }
        }
        return out
    }

    static func summary(_ result: ScanResult) -> String {
        let stats = result.stats
        var out = ""
        if let signalNumber = stats.interruptedBy {
            out +=
                "keytrail scan: INTERRUPTED by \(Interruption.name(of: signalNumber)): "
                + "\(TextFormat.count(stats.filesNotRead)) files not read, key rules not evaluated (they need all the "
                + "data); what was read is below"
                + (result.state == nil ? "" : " and committed, so the next run goes on")
                + "\n"
        }
        if let resident = stats.memoryBudgetPassedAt {
            out +=
                "keytrail scan: --max-memory reached (\(TextFormat.bytes(resident)) resident): from then on each key "
                + "kept \(MemoryBudget.valuesAfterShedding) more source IPs, user agents and regions exactly and "
                + "sampled the rest\n"
        }
        out +=
            "keytrail scan: \(TextFormat.count(stats.files)) event files, \(TextFormat.count(stats.records)) records"
        if stats.invalidRecords > 0 { out += " (\(TextFormat.count(stats.invalidRecords)) invalid)" }
        out += ", \(TextFormat.bytes(stats.bytesDecompressed)) of JSON from \(TextFormat.bytes(stats.bytesIn)) read\n"
        var setAside: [String] = []
        if stats.alreadyProcessed > 0 {
            setAside.append("\(TextFormat.count(stats.alreadyProcessed)) files already read by an earlier run")
        }
        if stats.changedFiles > 0 { setAside.append("\(stats.changedFiles) changed files not read again") }
        if stats.skippedFiles > 0 { setAside.append("\(stats.skippedFiles) digest/insight files skipped") }
        if stats.prunedFiles > 0 { setAside.append("\(stats.prunedFiles) files outside --since/--until") }
        if stats.ignoredFiles > 0 { setAside.append("\(stats.ignoredFiles) non-log files ignored") }
        if stats.recordsOutsideRange > 0 {
            setAside.append("\(TextFormat.count(stats.recordsOutsideRange)) records outside --since/--until")
        }
        if stats.recordsWithoutAccessKey > 0 {
            setAside.append("\(TextFormat.count(stats.recordsWithoutAccessKey)) records without an access key")
        }
        if !setAside.isEmpty { out += "  " + setAside.joined(separator: "; ") + "\n" }
        let coverage = result.coverage
        if let first = coverage.firstEvent, let last = coverage.lastEvent {
            out += "  events from \(Timestamp.format(first)) to \(Timestamp.format(last))\n"
            out += "  accounts: " + TerminalText.escape(coverage.accounts.keys.sorted().joined(separator: ", ")) + "\n"
            let regions = coverage.regions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            out +=
                "  regions: "
                + TerminalText.escape(
                    regions.map { "\($0.key) (\(TextFormat.count($0.value)))" }.joined(separator: ", "))
                + "\n"
        }
        out += "  as of \(Timestamp.format(result.asOf))" + (result.asOfFromData ? " (the newest event)" : "") + "\n"
        if let state = result.state {
            out +=
                "  state \(TerminalText.escape(state.path)): \(TextFormat.count(state.filesInLedger)) files read so far, "
                + "\(TextFormat.count(state.keysInHistory)) keys in history"
            var held: [String] = []
            if state.alreadyReported > 0 { held.append("\(state.alreadyReported) already reported") }
            if state.suppressed > 0 { held.append("\(state.suppressed) suppressed") }
            if !held.isEmpty { out += "; findings not shown again: " + held.joined(separator: ", ") }
            out += "\n"
        }
        return out
    }

    /// The positions of `keys` in reading order: long-term first, then unknown, then temporary; most recently active
    /// first; then by ID.
    ///
    /// Positions, not records: sorting the records (and filtering them to count kinds) copied each one, retaining
    /// every string and array in it, which was most of a 50,000-key table's 130 ms.
    static func readingOrder(_ keys: [KeyActivity]) -> [Int] {
        keys.withUnsafeBufferPointer { keys in
            let ranks = keys.indices.map { readingRank(keys[$0].kind) }
            return keys.indices.sorted { a, b in
                if ranks[a] != ranks[b] { return ranks[a] < ranks[b] }
                if keys[a].lastSeen != keys[b].lastSeen { return keys[a].lastSeen > keys[b].lastSeen }
                return keys[a].accessKeyID < keys[b].accessKeyID
            }
        }
    }

    private static func readingRank(_ kind: AccessKeyKind) -> Int {
        switch kind {
        case .longTerm: return 0
        case .unknown: return 1
        case .temporary: return 2
        }
    }

    /// The key table; temporary keys past `temporaryLimit` are counted, not listed.
    static func keyTable(_ keys: [KeyActivity], temporaryLimit: Int = temporaryKeyLimit) -> String {
        var longTerm = 0
        var temporary = 0
        for index in keys.indices {
            switch keys[index].kind {
            case .longTerm: longTerm += 1
            case .temporary: temporary += 1
            case .unknown: break
            }
        }
        let other = keys.count - longTerm - temporary
        var out =
            "Access keys: \(TextFormat.count(keys.count))"
            + " (\(TextFormat.count(longTerm)) long-term, \(TextFormat.count(temporary)) temporary"
            + (other > 0 ? ", \(TextFormat.count(other)) of unknown kind)\n" : ")\n")
        guard !keys.isEmpty else { return out }
        var table = TextTable([
            ("KEY", .left), ("KIND", .left), ("PRINCIPAL", .left), ("EVENTS", .right), ("ERRORS", .right),
            ("FIRST SEEN", .left), ("LAST SEEN", .left), ("DAYS", .right), ("IPS", .right), ("TOP API", .left),
        ])
        // Temporary keys come last: the listing ends at the limit.
        let listed = keys.count - temporary + min(temporary, temporaryLimit)
        let order = readingOrder(keys)
        keys.withUnsafeBufferPointer { keys in
            for index in order.prefix(listed) { table.add(row(keys.baseAddress! + index)) }
        }
        out += "\n" + table.render(indent: "  ")
        if temporary > temporaryLimit {
            out +=
                "  … and \(TextFormat.count(temporary - temporaryLimit)) more temporary keys"
                + " (all keys are in --format json)\n"
        }
        return out
    }

    /// A key's row of the table, read in place.
    private static func row(_ key: UnsafePointer<KeyActivity>) -> [String] {
        let topAPI = key.pointee.eventNames.mostFrequent.map { "\($0.value) (\(TextFormat.count($0.count)))" } ?? ""
        let principal = key.pointee.principal.displayName + (key.pointee.principal.type.map { " (\($0))" } ?? "")
        return [
            key.pointee.accessKeyID.value, key.pointee.kind.rawValue, principal, TextFormat.count(key.pointee.events),
            TextFormat.count(key.pointee.errors), Timestamp.formatDate(key.pointee.firstSeen),
            Timestamp.formatDate(key.pointee.lastSeen), TextFormat.count(key.pointee.activeDays),
            (key.pointee.sourceIPs.isTruncated ? "~" : "") + TextFormat.count(key.pointee.sourceIPs.distinctCount),
            topAPI,
        ]
    }
}
