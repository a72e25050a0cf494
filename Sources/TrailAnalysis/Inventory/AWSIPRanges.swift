import Foundation
import TrailModel

/// AWS's published address ranges (`ip-ranges.json`), to tell whether a call came from AWS compute.
///
/// keytrail never downloads the file: give it with `--aws-ip-ranges` (AWS publishes it at
/// https://ip-ranges.amazonaws.com/ip-ranges.json). Only the `EC2` service's prefixes are used: addresses that
/// instances, containers and functions use to reach AWS APIs.
public struct AWSIPRanges: Sendable, Equatable {
    /// Merged IPv4 ranges, sorted, as inclusive (first, last) pairs.
    private var v4: [(first: UInt32, last: UInt32)] = []
    private var v6: [CIDR] = []
    /// The file's `createDate`, for evidence.
    public private(set) var published: String?

    public static func == (a: AWSIPRanges, b: AWSIPRanges) -> Bool {
        a.published == b.published && a.v4.elementsEqual(b.v4, by: ==) && a.v6 == b.v6
    }

    /// Reads `ip-ranges.json`.
    public init(path: String) throws(InventoryError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryError(path: path, reason: "cannot read the file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the file's text.
    public init(text: String, path: String) throws(InventoryError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw InventoryError(path: path, reason: "not AWS's ip-ranges.json: \(error)")
        }
        guard let prefixes = document["prefixes"]?.arrayValue else {
            throw InventoryError(path: path, reason: "not AWS's ip-ranges.json: no \"prefixes\" array")
        }
        published = document["createDate"]?.stringValue
        var ranges: [(first: UInt32, last: UInt32)] = []
        for prefix in prefixes where prefix["service"]?.stringValue == "EC2" {
            guard let text = prefix["ip_prefix"]?.stringValue, let range = Self.range(text) else { continue }
            ranges.append(range)
        }
        ranges.sort { $0.first < $1.first }
        for range in ranges {
            if let last = v4.last, range.first <= last.last &+ 1 && last.last != .max {
                v4[v4.count - 1].last = max(last.last, range.last)
            } else {
                v4.append(range)
            }
        }
        for prefix in document["ipv6_prefixes"]?.arrayValue ?? [] where prefix["service"]?.stringValue == "EC2" {
            if let text = prefix["ipv6_prefix"]?.stringValue, let cidr = CIDR(text) { v6.append(cidr) }
        }
    }

    /// Whether `address` is in an EC2 range.
    public func contains(_ address: String) -> Bool {
        if address.contains(":") { return v6.contains { $0.contains(address) } }
        guard let bytes = IPAddress.bytes(address), bytes.count == 4 else { return false }
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        var low = 0
        var high = v4.count
        while low < high {
            let middle = (low + high) / 2
            if v4[middle].last < value { low = middle + 1 } else { high = middle }
        }
        return low < v4.count && v4[low].first <= value
    }

    /// The number of merged IPv4 ranges (for messages).
    public var rangeCount: Int { v4.count + v6.count }

    private static func range(_ text: String) -> (first: UInt32, last: UInt32)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let bytes = IPAddress.bytes(String(parts[0])), bytes.count == 4,
            let length = Int(parts[1]), (0...32).contains(length)
        else { return nil }
        let base = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
        return (base & mask, (base & mask) | ~mask)
    }
}
