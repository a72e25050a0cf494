/// The network an address belongs to for "how many networks" questions: its /24 for IPv4, its /48 for IPv6.
///
/// A prefix is one `UInt64`: the IP version in the top byte and the network bits below, so sets of prefixes are
/// sets of integers.
public enum NetworkPrefix {
    /// The prefix of an address written as text, or nil when the text is not an IP address (AWS service names,
    /// `AWS Internal`).
    public static func of(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64? {
        if let v4 = parseIPv4(p, count: count) { return 4 << 56 | UInt64(v4 >> 8) }
        if let v6 = parseIPv6Prefix48(p, count: count) { return 6 << 56 | v6 }
        return nil
    }

    /// The prefix of an address in a String.
    public static func of(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { buffer in buffer.baseAddress.flatMap { of($0, count: buffer.count) } }
    }

    /// The prefix as CIDR text: `203.0.113.0/24`, `2001:db8:1::/48`.
    public static func describe(_ prefix: UInt64) -> String {
        let bits = prefix & 0x00FF_FFFF_FFFF_FFFF
        if prefix >> 56 == 4 {
            return "\(bits >> 16 & 0xFF).\(bits >> 8 & 0xFF).\(bits & 0xFF).0/24"
        }
        let groups = [bits >> 32 & 0xFFFF, bits >> 16 & 0xFFFF, bits & 0xFFFF].map { String($0, radix: 16) }
        return groups.joined(separator: ":") + "::/48"
    }

    /// The first address of the prefix's network as text (`203.0.113.0`, `2001:db8:1::`), for CIDR matching.
    public static func sampleAddress(_ prefix: UInt64) -> String {
        let text = describe(prefix)
        return String(text[..<(text.lastIndex(of: "/") ?? text.endIndex)])
    }

    /// An IPv4 address in dotted-quad form (leading zeros allowed), as a 32-bit number.
    public static func parseIPv4(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32? {
        guard count >= 7 && count <= 15 else { return nil }
        var address: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        for index in 0..<count {
            let byte = p[index]
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                address = address << 8 | part
                part = 0
                digits = 0
                dots += 1
            } else {
                let digit = UInt32(byte &- UInt8(ascii: "0"))
                guard digit < 10, digits < 3 else { return nil }
                part = part * 10 + digit
                guard part <= 255 else { return nil }
                digits += 1
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return address << 8 | part
    }

    /// The first 48 bits of an IPv6 address (with `::` compression and an optional zone or embedded IPv4 tail).
    static func parseIPv6Prefix48(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64? {
        guard count >= 2 && count <= 45 else { return nil }
        var end = count
        for index in 0..<count where p[index] == UInt8(ascii: "%") {
            end = index
            break
        }
        // Split into groups around "::".
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if end >= 2 && p[0] == UInt8(ascii: ":") && p[1] == UInt8(ascii: ":") {
            sawGap = true
            index = 2
        }
        while index < end {
            var value: UInt32 = 0
            var digits = 0
            while index < end, let digit = hexDigit(p[index]) {
                value = value << 4 | digit
                digits += 1
                index += 1
            }
            if index < end && p[index] == UInt8(ascii: ".") {
                // An embedded IPv4 tail occupies the last 32 bits; it does not affect the first 48.
                if sawGap { tail += [0, 0] } else { head += [0, 0] }
                index = end
                break
            }
            guard digits > 0 && digits <= 4 else { return nil }
            if sawGap { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
            if index == end { break }
            guard p[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < end && p[index] == UInt8(ascii: ":") {
                guard !sawGap else { return nil }
                sawGap = true
                index += 1
            } else if index == end {
                return nil
            }
        }
        let total = head.count + tail.count
        guard sawGap ? total < 8 : total == 8 else { return nil }
        let groups = head + Array(repeating: 0, count: 8 - total) + tail
        return UInt64(groups[0]) << 32 | UInt64(groups[1]) << 16 | UInt64(groups[2])
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// The distinct network prefixes seen on one day, exact up to ``capacity`` and counted as "more" beyond.
public struct NetworkSet: Sendable, Equatable {
    /// The most prefixes kept per day; far above any sensible threshold.
    public static let capacity = 64

    /// Kept prefixes, sorted.
    public private(set) var prefixes: [UInt64] = []
    /// Whether more distinct prefixes were seen than kept.
    public private(set) var overflowed = false
    /// The last prefix added: consecutive calls of a key usually come from the same network.
    private var lastInserted: UInt64 = .max

    public static func == (a: NetworkSet, b: NetworkSet) -> Bool {
        a.prefixes == b.prefixes && a.overflowed == b.overflowed
    }

    public init() {}

    /// Adds a prefix.
    public mutating func insert(_ prefix: UInt64) {
        if prefix == lastInserted { return }
        lastInserted = prefix
        var low = 0
        var high = prefixes.count
        while low < high {
            let middle = (low + high) / 2
            if prefixes[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        if low < prefixes.count && prefixes[low] == prefix { return }
        if prefixes.count == Self.capacity {
            overflowed = true
            return
        }
        prefixes.insert(prefix, at: low)
    }

    /// Records that more prefixes were seen than kept (when restoring a stored set).
    public mutating func markOverflowed() { overflowed = true }

    /// The number of distinct prefixes (a lower bound when overflowed).
    public var count: Int { prefixes.count }

    /// Adds another set's prefixes.
    public mutating func formUnion(_ other: NetworkSet) {
        for prefix in other.prefixes { insert(prefix) }
        if other.overflowed { overflowed = true }
    }
}
