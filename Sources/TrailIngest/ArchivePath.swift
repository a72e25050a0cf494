import TrailModel

/// What a CloudTrail object key or file name says about the file: account, region, log type and delivery time.
///
/// Recognises the S3 layout `AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>` and AWS's file
/// names `<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz` (and the `-Digest`/`-Insight` variants).
public struct ArchivePath: Sendable, Hashable {
    /// The kind of file CloudTrail delivered.
    public enum LogType: String, Sendable, Hashable {
        case events, digest, insight, unknown
    }

    /// The account whose activity the file holds.
    public var accountId: String?
    /// The organization ID of an organization trail.
    public var organizationId: String?
    /// The region of the activity.
    public var region: String?
    /// Events, digest or insight.
    public var logType: LogType = .unknown
    /// Midnight UTC of the `YYYY/MM/DD` folder (the delivery day).
    public var deliveryDay: Int64?
    /// The delivery time from the file name, to the minute.
    public var deliveryTime: Int64?

    /// How much earlier than its delivery an event in a file may be: CloudTrail usually delivers within minutes,
    /// but some events arrive hours late, so pruning keeps a day either way.
    public static let lateDeliveryMargin: Int64 = 86_400
    /// Slack after the delivery time for clock skew.
    public static let clockMargin: Int64 = 3_600

    /// Parses a path; parts it cannot find stay nil.
    public init(_ path: String) {
        // Split on the bytes: splitting the `String` walked it grapheme by grapheme, which (with each path parsed
        // twice) was more than half of discovering an archive's files. A slash is one byte in UTF-8, never part of
        // another character's bytes, so every piece is valid text.
        let components = path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        if let logs = components.lastIndex(of: "AWSLogs") {
            var i = logs + 1
            if i < components.count, components[i].hasPrefix("o-") {
                organizationId = components[i]
                i += 1
            }
            if i < components.count, Self.isAccountID(components[i]) {
                accountId = components[i]
                i += 1
            }
            if i < components.count {
                logType = Self.logType(ofFolder: components[i])
                i += 1
            }
            if logType != .unknown, i < components.count - 1 {
                region = components[i]
                i += 1
            }
            if i + 3 < components.count,
                let y = Int64(components[i]), let m = Int64(components[i + 1]), let d = Int64(components[i + 2]),
                components[i].count == 4, (1...12).contains(m), (1...31).contains(d)
            {
                deliveryDay = Timestamp.daysFromCivil(year: y, month: m, day: d) * 86_400
            }
        }
        if let name = components.last { parseFileName(name) }
        if components.contains("CloudTrail-Digest") { logType = .digest }
        if components.contains("CloudTrail-Insight") { logType = .insight }
    }

    /// Bounds on the `eventTime`s the file can hold, from its delivery day and time, with safety margins.
    public var possibleEventTimes: ClosedRange<Int64>? {
        var lower = Int64.min
        var upper = Int64.max
        if let deliveryDay {
            lower = max(lower, deliveryDay - Self.lateDeliveryMargin)
            upper = min(upper, deliveryDay + 86_400 + Self.clockMargin)
        }
        if let deliveryTime {
            lower = max(lower, deliveryTime - Self.lateDeliveryMargin)
            upper = min(upper, deliveryTime + Self.clockMargin)
        }
        guard lower != .min || upper != .max, lower <= upper else { return nil }
        return lower...upper
    }

    private mutating func parseFileName(_ name: String) {
        let parts = name.utf8.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false).map {
            String(Substring($0))
        }
        guard parts.count >= 4, Self.isAccountID(parts[0]) else {
            if name.contains("CloudTrail-Digest") { logType = .digest }
            if name.contains("CloudTrail-Insight") { logType = .insight }
            return
        }
        let type = Self.logType(ofFolder: parts[1])
        guard type != .unknown else { return }
        accountId = accountId ?? parts[0]
        logType = type
        region = region ?? parts[2]
        // Events and insights: the time is the 4th part; digests put the trail's home region first.
        for part in parts[3...] where part.count >= 14 && part.count <= 16 && part.utf8.contains(UInt8(ascii: "T")) {
            if let time = Self.compactTime(part) {
                deliveryTime = time
                break
            }
        }
    }

    /// Parses `YYYYMMDDTHHmmZ` or `YYYYMMDDTHHmmssZ`.
    static func compactTime(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 14 || bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z")
        else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0, 4), let m = number(4, 2), let d = number(6, 2), let h = number(9, 2),
            let minute = number(11, 2), (1...12).contains(m), (1...31).contains(d), h < 24, minute < 60
        else { return nil }
        let seconds = bytes.count == 16 ? number(13, 2) ?? 0 : 0
        return Timestamp.daysFromCivil(year: y, month: m, day: d) * 86_400 + h * 3_600 + minute * 60 + seconds
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func logType(ofFolder name: String) -> LogType {
        switch name {
        case "CloudTrail": return .events
        case "CloudTrail-Digest": return .digest
        case "CloudTrail-Insight": return .insight
        default: return .unknown
        }
    }
}
