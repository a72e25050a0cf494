import TrailModel

/// `root-activity`: any successful call by the root user, except AWS service events, calls services make on its
/// behalf, `CreateServiceLinkedRole`, and failed console sign-ins.
struct RootActivityRule: UniversalEventRule {
    var id: String { "root-activity" }

    func accepts(_ event: borrowing EventView) -> Bool { event.isRoot }

    func inspect(_ event: EventView) -> EventMatch? {
        guard !event.isError, !event.has(.invokedBy), !event.field(.eventType, equals: "AwsServiceEvent"),
            !event.field(.eventName, equals: "CreateServiceLinkedRole")
        else { return nil }
        // A failed console sign-in has no errorCode, only ConsoleLogin: Failure; it is not activity of root.
        if event.field(.eventName, equals: "ConsoleLogin"),
            event.json(.responseElements)?["ConsoleLogin"]?.stringValue != "Success"
        {
            return nil
        }
        let account = event.string(.accountId) ?? event.string(.recipientAccountId) ?? "unknown account"
        let name = event.string(.eventName) ?? ""
        return EventMatch(
            subject: account, title: "Root user of account \(account) active (\(name))",
            evidence: [
                .init("account", .string(account)), .init("eventName", .string(name)),
                .init("sourceIPAddress", .string(event.string(.sourceIPAddress) ?? "")),
                .init("userAgent", .string(event.string(.userAgent) ?? "")),
            ])
    }
}

/// `credential-scanner-user-agent`: calls whose user agent begins with the name of a credential scanner or an
/// offensive AWS tool. Failed calls count: a scanner probing a key shows the key has leaked either way.
struct CredentialScannerUserAgentRule: UniversalEventRule {
    var id: String { "credential-scanner-user-agent" }
    /// ``prefixes``, held by the rule so that the per-record test reads no global; a plain value, so holding or
    /// copying the rule retains nothing.
    private let prefixes = Self.prefixes

    /// Tool names, lowercased, as user agents begin with them (S3 wraps user agents in brackets).
    static let tools = ["trufflehog", "pacu", "cloudfox", "scoutsuite", "scout suite", "ggshield", "gitguardian"]
    /// Their distinct first four bytes, packed little-endian, zero-padded (zero never matches: the test sets bit 5
    /// of each byte); compared in a loop, which costs less than hashing the word for a `Set` on every record.
    static let prefixes: InlineArray<6, UInt32> = {
        let distinct = Set(tools.map { pack(Array($0.utf8)) }).sorted()
        precondition(distinct.count <= 6, "more tool prefixes than the inline test holds")
        var inline = InlineArray<6, UInt32>(repeating: 0)
        for (index, prefix) in distinct.enumerated() { inline[index] = prefix }
        return inline
    }()

    static func pack(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    func accepts(_ event: borrowing EventView) -> Bool {
        let span = event[.userAgent]
        guard span.count >= 5 else { return false }
        var p = event.base + Int(span.start)
        if p.pointee == UInt8(ascii: "[") { p += 1 }
        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) | 0x2020_2020
        var found = false
        for index in 0..<6 { found = found || prefixes[index] == word }
        return found
    }

    func inspect(_ event: EventView) -> EventMatch? {
        guard let agent = event.string(.userAgent) else { return nil }
        var lowered = agent.lowercased()
        if lowered.hasPrefix("[") { lowered.removeFirst() }
        guard let tool = Self.tools.first(where: { lowered.hasPrefix($0) }) else { return nil }
        let who = event.string(.accessKeyId) ?? RuleSupport.caller(event)
        return EventMatch(
            subject: tool, title: "Key \(who) used by \(tool)",
            evidence: [
                .init("tool", .string(tool)), .init("userAgent", .string(agent)),
                .init("eventName", .string(event.string(.eventName) ?? "")),
                .init("sourceIPAddress", .string(event.string(.sourceIPAddress) ?? "")),
            ] + (event.string(.errorCode).map { [.init("errorCode", .string($0))] } ?? []))
    }
}
