import TrailModel

/// What the scanner does with the value of a member whose name it recognises.
enum MemberAction: Equatable {
    /// Not needed: skip the value.
    case skip
    /// A string field.
    case string(EventField)
    /// A sub-object kept as raw JSON text.
    case raw(EventField)
    /// `readOnly`: a boolean or a string.
    case readOnly
    /// A nested object whose members are matched against another table.
    case object(MemberLevel)
    /// A known name with no action of its own (``MemberTable/eventMembers``).
    case recognized
}

/// The objects of a record whose members the scanner looks into.
enum MemberLevel: Int, CaseIterable {
    case record, userIdentity, sessionContext, sessionIssuer, attributes
}

/// Recognises member names by length and two 8-byte loads, without allocating, hashing or reference counting.
///
/// Names up to 16 bytes are compared exactly by the head and tail words; longer names also compare the middle.
/// The storage is allocated once per table and lives as long as the process (tables are static).
struct MemberTable {
    private struct Entry {
        var head: UInt64
        var tail: UInt64
        var name: UnsafePointer<UInt8>
        var count: Int
        var action: MemberAction
    }

    private static let maxLength = 32
    private let entries: UnsafePointer<Entry>
    /// For each name length n: the range of `entries` holding names of that length.
    private let ranges: UnsafePointer<(start: Int32, count: Int32)>

    init(_ members: [(StaticString, MemberAction)]) {
        let sorted = members.sorted { $0.0.utf8CodeUnitCount < $1.0.utf8CodeUnitCount }
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(sorted.count, 1))
        let ranges = UnsafeMutablePointer<(start: Int32, count: Int32)>.allocate(capacity: Self.maxLength)
        ranges.initialize(repeating: (0, 0), count: Self.maxLength)
        for (index, (name, action)) in sorted.enumerated() {
            let count = name.utf8CodeUnitCount
            precondition(count < Self.maxLength, "member name too long for the table")
            // Copy into zero-padded memory so the 8-byte loads never read past the name.
            let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: count + 16)
            padded.initialize(repeating: 0, count: count + 16)
            padded.update(from: name.utf8Start, count: count)
            entries.advanced(by: index).initialize(
                to: Entry(
                    head: Self.head(padded, count), tail: Self.tail(padded, count), name: UnsafePointer(padded),
                    count: count, action: action))
            if ranges[count].count == 0 { ranges[count].start = Int32(index) }
            ranges[count].count += 1
        }
        self.entries = UnsafePointer(entries)
        self.ranges = UnsafePointer(ranges)
        self.count = sorted.count
    }

    /// The number of names.
    let count: Int

    /// The action for the member name at `p` of `count` bytes (not escaped). Reads up to 8 bytes past the name,
    /// which the scanner's buffer padding allows.
    @inline(__always)
    func action(_ p: UnsafePointer<UInt8>, count: Int) -> MemberAction {
        let index = find(p, count: count)
        return index < 0 ? .skip : entries[index].action
    }

    /// The index of the member name at `p` of `count` bytes (not escaped), or -1 if the table does not have it.
    /// Reads up to 8 bytes past the name, which the scanner's buffer padding allows.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
        guard count < Self.maxLength else { return -1 }
        let range = ranges[count]
        guard range.count > 0 else { return -1 }
        let head = Self.head(p, count)
        let tail = Self.tail(p, count)
        var index = Int(range.start)
        let end = index + Int(range.count)
        while index < end {
            if Self.equals(entries[index], p, count: count, head: head, tail: tail) { return index }
            index += 1
        }
        return -1
    }

    /// Whether the `count` bytes at `p`, whose head and tail words are given, are `entry`'s name (of that length).
    @inline(__always)
    private static func equals(
        _ entry: Entry, _ p: UnsafePointer<UInt8>, count: Int, head: UInt64, tail: UInt64
    ) -> Bool {
        entry.head == head && entry.tail == tail && (count <= 16 || memoryEquals(p + 8, entry.name + 8, count - 16))
    }

    /// The action of the name at `index`.
    @inline(__always)
    func action(at index: Int) -> MemberAction { entries[index].action }

    /// Whether the JSON string at `quote` (its opening quote) is exactly the name at `index`: the name's bytes and
    /// then the closing quote.
    /// - Returns: the position after the closing quote, or nil.
    @inline(__always)
    func matches(_ index: Int, at quote: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        let entry = entries[index]
        let count = entry.count
        let p = quote + 1
        guard p[count] == JSONBytes.quote,
            Self.equals(entry, p, count: count, head: Self.head(p, count), tail: Self.tail(p, count))
        else { return nil }
        return p + count + 1
    }

    @inline(__always)
    private static func head(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        return count >= 8 ? word : word & ((1 << UInt64(count * 8)) &- 1)
    }

    @inline(__always)
    private static func tail(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        count >= 8 ? UnsafeRawPointer(p + count - 8).loadUnaligned(as: UInt64.self) : 0
    }

    /// The tables for every level of a CloudTrail record that the scanner descends into, by `MemberLevel`.
    nonisolated(unsafe) static let levels: [MemberTable] = MemberLevel.allCases.map { level in
        switch level {
        case .record:
            return MemberTable([
                ("eventTime", .string(.eventTime)), ("eventSource", .string(.eventSource)),
                ("eventName", .string(.eventName)), ("awsRegion", .string(.awsRegion)),
                ("sourceIPAddress", .string(.sourceIPAddress)), ("userAgent", .string(.userAgent)),
                ("errorCode", .string(.errorCode)), ("errorMessage", .string(.errorMessage)),
                ("eventID", .string(.eventID)), ("eventType", .string(.eventType)),
                ("recipientAccountId", .string(.recipientAccountId)),
                ("sessionCredentialFromConsole", .string(.sessionCredentialFromConsole)),
                ("readOnly", .readOnly), ("userIdentity", .object(.userIdentity)),
                ("requestParameters", .raw(.requestParameters)), ("responseElements", .raw(.responseElements)),
                ("additionalEventData", .raw(.additionalEventData)),
                // Skipped like any unknown name, but known, so that the parser can predict the name after them.
                ("eventVersion", .skip), ("requestID", .skip), ("managementEvent", .skip), ("eventCategory", .skip),
                ("tlsDetails", .skip), ("resources", .skip), ("sharedEventID", .skip), ("apiVersion", .skip),
                ("vpcEndpointId", .skip), ("serviceEventDetails", .skip),
            ])
        case .userIdentity:
            return MemberTable([
                ("type", .string(.identityType)), ("principalId", .string(.principalId)), ("arn", .string(.arn)),
                ("accountId", .string(.accountId)), ("accessKeyId", .string(.accessKeyId)),
                ("userName", .string(.userName)), ("invokedBy", .string(.invokedBy)),
                ("sessionContext", .object(.sessionContext)),
            ])
        case .sessionContext:
            return MemberTable([
                ("sessionIssuer", .object(.sessionIssuer)), ("attributes", .object(.attributes)),
                ("ec2RoleDelivery", .string(.ec2RoleDelivery)), ("webIdFederationData", .skip),
                ("sourceIdentity", .skip),
            ])
        case .sessionIssuer:
            return MemberTable([
                ("type", .string(.sessionIssuerType)), ("arn", .string(.sessionIssuerArn)),
                ("userName", .string(.sessionIssuerUserName)), ("principalId", .skip), ("accountId", .skip),
            ])
        case .attributes:
            return MemberTable([("mfaAuthenticated", .string(.mfaAuthenticated)), ("creationDate", .skip)])
        }
    }

    /// Member names that mark a top-level object as one CloudTrail event rather than a `{"Records":[...]}`
    /// document, for inputs that hold a stream of events under a `.json` name. Matches answer `.recognized`.
    nonisolated(unsafe) static let eventMembers = MemberTable(
        ([
            "eventVersion", "eventTime", "eventSource", "eventName", "userIdentity", "awsRegion", "sourceIPAddress",
            "userAgent", "eventID", "eventType", "requestParameters", "responseElements", "requestID",
            "recipientAccountId", "readOnly", "errorCode", "errorMessage", "additionalEventData", "eventCategory",
            "managementEvent", "resources", "apiVersion", "tlsDetails", "sharedEventID",
        ] as [StaticString]).map { ($0, MemberAction.recognized) })
}
