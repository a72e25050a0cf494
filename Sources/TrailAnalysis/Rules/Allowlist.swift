import TrailModel

/// One allowlist entry: a finding (or, for event rules, an event) it matches is suppressed. Every condition given
/// must match; an entry with none matches nothing.
public struct AllowEntry: Sendable, Equatable {
    /// An exact access key ID.
    public var accessKeyId: String?
    /// A principal ARN pattern with `*` and `?` wildcards.
    public var principalArn: String?
    /// A network in CIDR notation; for event rules the event's source address, for key rules every address the
    /// key was used from, must lie in it.
    public var cidr: CIDR?
    /// A user-agent pattern with `*` and `?` (case-insensitive); for key rules every user agent must match.
    public var userAgent: String?
    /// Why it is allowed (kept for people reading the configuration).
    public var reason: String?

    public init(
        accessKeyId: String? = nil, principalArn: String? = nil, cidr: CIDR? = nil, userAgent: String? = nil,
        reason: String? = nil
    ) {
        self.accessKeyId = accessKeyId
        self.principalArn = principalArn
        self.cidr = cidr
        self.userAgent = userAgent
        self.reason = reason
    }

    var isEmpty: Bool { accessKeyId == nil && principalArn == nil && cidr == nil && userAgent == nil }

    /// Whether the entry matches an actor with these facts.
    /// - Parameters:
    ///   - accessKeyId: the key, if any.
    ///   - principalArn: the principal's ARN, if known.
    ///   - addresses: the source addresses (one for an event, all of a key's for a key finding).
    ///   - userAgents: the user agents, likewise.
    public func matches(
        accessKeyId: String?, principalArn: String?, addresses: [String], userAgents: [String]
    ) -> Bool {
        guard !isEmpty else { return false }
        if let wanted = self.accessKeyId, wanted != accessKeyId { return false }
        if let pattern = self.principalArn {
            guard let principalArn, Wildcard.matches(pattern, principalArn, caseInsensitive: false) else {
                return false
            }
        }
        if let cidr {
            guard !addresses.isEmpty, addresses.allSatisfy({ cidr.contains($0) }) else { return false }
        }
        if let pattern = self.userAgent {
            guard !userAgents.isEmpty, userAgents.allSatisfy({ Wildcard.matches(pattern, $0, caseInsensitive: true) })
            else { return false }
        }
        return true
    }
}

/// `*` and `?` wildcard matching.
public enum Wildcard {
    /// Whether `text` matches `pattern`, where `*` is any run of characters and `?` any one character.
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        var pi = 0
        var ti = 0
        var star = -1
        var resume = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                resume = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                resume += 1
                ti = resume
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// An IPv4 or IPv6 network in CIDR notation.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    private let network: [UInt8]
    private let prefixLength: Int
    public let description: String

    /// Parses `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress.bytes(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
        guard let length, length >= 0, length <= address.count * 8 else { return nil }
        network = address
        prefixLength = length
        description = text
    }

    /// Whether the address (text) lies in the network; text that is not an address never does.
    public func contains(_ address: String) -> Bool {
        guard let bytes = IPAddress.bytes(address), bytes.count == network.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}

/// Parsing of IP address text into bytes.
public enum IPAddress {
    /// 4 bytes for IPv4, 16 for IPv6, nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        if text.contains(":") { return ipv6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = bytes(String(piece)) {
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(String(halves[0])) else { return nil }
        let tail = halves.count == 2 ? groups(String(halves[1])) : []
        guard let tail else { return nil }
        let total = head.count + tail.count
        guard halves.count == 2 ? total < 8 : total == 8 else { return nil }
        let all = head + Array(repeating: 0, count: 8 - total) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

extension StringProtocol {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var result: [String] = []
        var current = ""
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(separator) {
                result.append(current)
                current = ""
                index = self.index(index, offsetBy: separator.count)
            } else {
                current.append(self[index])
                index = self.index(after: index)
            }
        }
        result.append(current)
        return result
    }
}
