import TrailModel

/// The ids of one dimension's values: interned strings, and — for source addresses — IPv4 addresses held
/// literally in the id itself, so the hot path needs no table lookup for them.
///
/// An id below 2³² is an interner id; `1 << 32 | address` is the IPv4 address `address`. Only canonical
/// dotted-quad text (no leading zeros, each part at most 255) is held literally, so formatting the address gives
/// back exactly the bytes that were read.
struct ValueSpace {
    let interner: ByteInterner
    /// Whether canonical IPv4 addresses are held literally.
    let literalIPv4: Bool

    static let literalFlag: UInt64 = 1 << 32

    /// The id of `bytes`, interning them if needed.
    @inline(__always)
    func id(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        if literalIPv4, let address = Self.parseIPv4(p, count: count) { return Self.literalFlag | UInt64(address) }
        return UInt64(interner.intern(p, count: count))
    }

    /// The id of `bytes` if they are already known (or held literally).
    @inline(__always)
    func existingID(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64? {
        if literalIPv4, let address = Self.parseIPv4(p, count: count) { return Self.literalFlag | UInt64(address) }
        return interner.find(p, count: count).map(UInt64.init)
    }

    /// The id of a field's bytes if they are already known (or held literally); nil for an absent field too.
    @inline(__always)
    func existingID(_ bytes: UnsafeBufferPointer<UInt8>?) -> UInt64? {
        guard let bytes, let base = bytes.baseAddress else { return nil }
        return existingID(base, count: bytes.count)
    }

    /// The fixed-seed ``StableHash`` of an id's text.
    func stableHash(_ id: UInt64) -> UInt64 {
        if id & Self.literalFlag != 0 { return StableHash.hash(Self.formatIPv4(UInt32(truncatingIfNeeded: id))) }
        return interner.stableHash(UInt32(id))
    }

    /// The id in another space of an id of this one, by `remap` from this space's interner to the other's.
    func translate(_ id: UInt64, remap: IDRemap) -> UInt64 {
        if id & Self.literalFlag != 0 { return id }
        return UInt64(remap[UInt32(id)])
    }

    /// A canonical IPv4 address, or nil.
    @inline(__always)
    static func parseIPv4(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32? {
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
                guard digit < 10, digits < 3, !(digits > 0 && part == 0) else { return nil }
                part = part * 10 + digit
                guard part <= 255 else { return nil }
                digits += 1
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return address << 8 | part
    }

    /// The dotted-quad text of an address.
    static func formatIPv4(_ address: UInt32) -> String {
        // By hand into 15 bytes: string interpolation showed in profiles of turning keys into records.
        var text = InlineArray<15, UInt8>(repeating: 0)
        var count = 0
        for shift in stride(from: UInt32(24), through: 0, by: -8) {
            let part = address >> shift & 0xFF
            if shift != 24 {
                text[count] = UInt8(ascii: ".")
                count += 1
            }
            if part >= 100 {
                text[count] = UInt8(ascii: "0") + UInt8(part / 100)
                count += 1
            }
            if part >= 10 {
                text[count] = UInt8(ascii: "0") + UInt8(part / 10 % 10)
                count += 1
            }
            text[count] = UInt8(ascii: "0") + UInt8(part % 10)
            count += 1
        }
        return text.span.withUnsafeBufferPointer { String(decoding: $0[..<count], as: UTF8.self) }
    }
}
