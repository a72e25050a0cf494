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
public enum EventID: Sendable, Hashable, Comparable {
    /// The 32 hex digits of a lowercase UUID, as two numbers.
    case uuid(UInt64, UInt64)
    case text(String)

    /// The length of a UUID's text.
    private static let uuidLength = 36

    /// The ID with the bytes `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self = Self.packed(bytes) ?? .text(String(decoding: bytes, as: UTF8.self))
    }

    /// The ID `text`.
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { Self.packed($0) } ?? .text(text)
    }

    /// The ID as text.
    public var string: String {
        switch self {
        case .text(let text): return text
        case .uuid: return withBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the ID's text.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch self {
        case .text(var text):
            return text.withUTF8(body)
        case .uuid(let high, let low):
            // Eight digits at a time (``hexText(_:)``): a run's findings spell out ~150,000 IDs.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.uuidLength) { buffer in
                let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
                func put(_ digits: UInt64, eight offset: Int) {
                    raw.storeBytes(of: digits.littleEndian, toByteOffset: offset, as: UInt64.self)
                }
                func put(_ digits: UInt64, four offset: Int, _ second: Int) {
                    raw.storeBytes(
                        of: UInt32(truncatingIfNeeded: digits).littleEndian, toByteOffset: offset, as: UInt32.self)
                    raw.storeBytes(
                        of: UInt32(truncatingIfNeeded: digits >> 32).littleEndian, toByteOffset: second, as: UInt32.self
                    )
                }
                put(Self.hexText(high >> 32), eight: 0)
                put(Self.hexText(high), four: 9, 14)
                put(Self.hexText(low >> 32), four: 19, 24)
                put(Self.hexText(low), eight: 28)
                (buffer[8], buffer[13], buffer[18], buffer[23]) = (0x2D, 0x2D, 0x2D, 0x2D)  // "-"
                return body(UnsafeBufferPointer(buffer))
            }
        }
    }

    /// The eight lowercase hex digits of `value`'s low 32 bits, as the bytes of a number: the first digit in the
    /// lowest byte (the inverse of ``hexDigits(_:)``).
    @inline(__always)
    static func hexText(_ value: UInt64) -> UInt64 {
        // Spread the eight nibbles one to a byte, the last digit lowest, then reverse the bytes.
        var spread = value & 0xFFFF_FFFF
        spread = (spread & 0xFFFF_0000) << 16 | spread & 0xFFFF
        spread = (spread & 0x0000_FF00_0000_FF00) << 8 | spread & 0x0000_00FF_0000_00FF
        spread = (spread & 0x00F0_00F0_00F0_00F0) << 4 | spread & 0x000F_000F_000F_000F
        spread = spread.byteSwapped
        // "0"–"9" from 0x30, "a"–"f" from 0x57: a nibble of 10 or more gets 0x27 more (no carries between bytes).
        let letters = ((spread &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010) >> 4
        return spread &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
    }

    /// Whether `bytes` order before this ID.
    public func comesAfter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if case .uuid(let high, let low) = self, case .uuid(let otherHigh, let otherLow)? = Self.packed(bytes) {
            return (otherHigh, otherLow) < (high, low)
        }
        return withBytes { Self.precedes(bytes, $0) }
    }

    @inlinable
    public static func < (a: EventID, b: EventID) -> Bool {
        if case .uuid(let aHigh, let aLow) = a, case .uuid(let bHigh, let bLow) = b {
            return (aHigh, aLow) < (bHigh, bLow)
        }
        return a.withBytes { left in b.withBytes { right in precedes(left, right) } }
    }

    /// Byte order of two byte strings (for ASCII IDs, the same as `String`'s), shorter first on a common prefix.
    public static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }

    /// The packed form of a lowercase UUID's text (`8-4-4-4-12` hex digits), or nil for any other ID.
    ///
    /// Eight digits at a time (``hexDigits(_:)``): every Sigma match that may be among its group's earliest packs
    /// its ID, and the byte-at-a-time loop was a few percent of a run where one rule matches most records.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard bytes.count == uuidLength, let base = bytes.baseAddress else { return nil }
        guard base[8] == UInt8(ascii: "-"), base[13] == UInt8(ascii: "-"), base[18] == UInt8(ascii: "-"),
            base[23] == UInt8(ascii: "-")
        else { return nil }
        let raw = UnsafeRawPointer(base)
        func word(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func half(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        guard let a = hexDigits(word(0)), let b = hexDigits(half(9) | half(14) << 32),
            let c = hexDigits(half(19) | half(24) << 32), let d = hexDigits(word(28))
        else { return nil }
        return .uuid(a << 32 | b, c << 32 | d)
    }

    /// The number that eight lowercase hex digits spell (the first digit in the lowest byte of `text`), or nil when
    /// any byte is not `0`–`9` or `a`–`f`.
    @inline(__always)
    private static func hexDigits(_ text: UInt64) -> UInt64? {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        guard text & highBits == 0 else { return nil }
        // Per byte (no carries between bytes, all being below 0x80): bit 7 set when the byte is at least the bound.
        let digit = (text &+ 0x5050_5050_5050_5050) & ~(text &+ 0x4646_4646_4646_4646)  // 0x30...0x39
        let letter = (text &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(text &+ 0x1919_1919_1919_1919)  // 0x61...0x66
        guard (digit | letter) & highBits == highBits else { return nil }
        // A digit's low four bits are its value; a letter's, its value less 9 (and only letters have bit 6).
        let values = (text & 0x0F0F_0F0F_0F0F_0F0F) &+ ((text >> 6) & 0x0101_0101_0101_0101) &* 9
        let pairs = ((values << 4) | (values >> 8)) & 0x00FF_00FF_00FF_00FF
        return (pairs & 0xFF) << 24 | (pairs >> 16 & 0xFF) << 16 | (pairs >> 32 & 0xFF) << 8 | pairs >> 48 & 0xFF
    }
}
