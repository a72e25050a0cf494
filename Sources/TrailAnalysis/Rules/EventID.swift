#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CloudTrail event ID as a small value: CloudTrail's own (lowercase UUIDs, 36 bytes of text) are packed into 16
/// bytes, so lists of them are copied and freed as plain memory; any other ID is kept as its text.
///
/// As Strings, each kept ID was an allocation, and every copy of a list a retain per ID: after a two-job scan with
/// SigmaHQ's rules, merging and freeing the workers' finding groups (50 IDs each) took ~100 ms of the main thread.
/// IDs order by their bytes either way: for lowercase hex, the packed numbers order as their text does.
enum EventID: Sendable, Equatable, Comparable {
    /// The 32 hex digits of a lowercase UUID, as two numbers.
    case uuid(UInt64, UInt64)
    case text(String)

    /// The length of a UUID's text.
    private static let uuidLength = 36

    /// The ID with the bytes `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self = Self.packed(bytes) ?? .text(String(decoding: bytes, as: UTF8.self))
    }

    /// The ID `text`.
    init(_ text: String) {
        var text = text
        self = text.withUTF8 { Self.packed($0) } ?? .text(text)
    }

    /// The ID as text.
    var string: String {
        switch self {
        case .text(let text): return text
        case .uuid: return withBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the ID's text.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch self {
        case .text(var text):
            return text.withUTF8(body)
        case .uuid(let high, let low):
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.uuidLength) { buffer in
                var digit = 0
                for position in 0..<Self.uuidLength {
                    if Self.isDash(position) {
                        buffer[position] = UInt8(ascii: "-")
                        continue
                    }
                    let number = digit < 16 ? high : low
                    let value = UInt8(truncatingIfNeeded: number >> UInt64((15 - digit % 16) * 4)) & 0xF
                    buffer[position] = value < 10 ? value + UInt8(ascii: "0") : value - 10 + UInt8(ascii: "a")
                    digit += 1
                }
                return body(UnsafeBufferPointer(buffer))
            }
        }
    }

    /// Whether `bytes` order before this ID.
    func comesAfter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if case .uuid(let high, let low) = self, case .uuid(let otherHigh, let otherLow)? = Self.packed(bytes) {
            return (otherHigh, otherLow) < (high, low)
        }
        return withBytes { Self.precedes(bytes, $0) }
    }

    static func < (a: EventID, b: EventID) -> Bool {
        if case .uuid(let aHigh, let aLow) = a, case .uuid(let bHigh, let bLow) = b {
            return (aHigh, aLow) < (bHigh, bLow)
        }
        return a.withBytes { left in b.withBytes { right in precedes(left, right) } }
    }

    /// Byte order of two byte strings (for ASCII IDs, the same as `String`'s), shorter first on a common prefix.
    static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }

    /// Whether a UUID's text has a dash at `position`.
    private static func isDash(_ position: Int) -> Bool {
        position == 8 || position == 13 || position == 18 || position == 23
    }

    /// The packed form of a lowercase UUID's text (`8-4-4-4-12` hex digits), or nil for any other ID.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard bytes.count == uuidLength else { return nil }
        var numbers: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (position, byte) in bytes.enumerated() {
            if isDash(position) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 {
                numbers.0 = numbers.0 << 4 | UInt64(value)
            } else {
                numbers.1 = numbers.1 << 4 | UInt64(value)
            }
            digits += 1
        }
        return .uuid(numbers.0, numbers.1)
    }
}
