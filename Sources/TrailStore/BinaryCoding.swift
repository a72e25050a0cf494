/// Writes the compact binary form of stored records: unsigned LEB128 varints, zig-zag signed integers and
/// length-prefixed UTF-8 strings.
///
/// The bytes go into memory the writer owns, through a pointer: each value checks for room once and stores its bytes
/// directly, where appending to an `Array` checked uniqueness and capacity for every byte (a first run's 50,000 keys
/// are ~48 MB of records).
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written.
    private(set) var count = 0

    /// The most bytes a varint of 64 bits takes.
    private static let longestVarint = 10

    /// Not in `async` functions: Swift 6.3 miscompiled a `~Copyable` struct with a `deinit` held in an async frame
    /// (fifteenth session, with `JSONWriter`), so the compiler keeps this one out of them.
    @available(*, noasync, message: "create ByteWriter in a synchronous function (a Swift 6.3 miscompile)")
    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written, as an array.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the bytes written, in place.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    mutating func unsigned(_ value: UInt64) {
        reserve(Self.longestVarint)
        count += Self.storeVarint(value, at: base + count)
    }

    mutating func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    mutating func string(_ value: String) {
        // Through the contiguous UTF-8 (native strings always have it): appending the UTF-8 view went element by
        // element, which showed in profiles of encoding 50,000 keys.
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            count(utf8.count)
            append(UnsafeRawBufferPointer(utf8))
        }
        if done == nil { string(Array(value.utf8)) }
    }

    /// A string given as its UTF-8 bytes.
    private mutating func string(_ utf8: [UInt8]) {
        count(utf8.count)
        utf8.withUnsafeBytes { append($0) }
    }

    mutating func optionalString(_ value: String?) {
        if let value {
            byte(1)
            string(value)
        } else {
            byte(0)
        }
    }

    mutating func optionalSigned(_ value: Int64?) {
        if let value {
            byte(1)
            signed(value)
        } else {
            byte(0)
        }
    }

    mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    /// Appends bytes as they are.
    mutating func raw(_ data: [UInt8]) { data.withUnsafeBytes { append($0) } }

    /// Appends a length-prefixed run of bytes that `body` writes into this writer.
    ///
    /// The block is written in place after room for a two-byte length (blocks up to 16 KiB), and moved only when its
    /// length needs another size: no scratch buffer, no second copy.
    mutating func block(_ body: (inout ByteWriter) -> Void) {
        let assumed = 2
        reserve(assumed)
        let start = count + assumed
        count = start
        body(&self)
        let length = count - start
        let prefixLength = Self.varintLength(UInt64(length))
        if prefixLength != assumed {
            reserve(prefixLength - assumed)
            // The regions overlap: copyMemory moves.
            let target = UnsafeMutableRawPointer(base + start - assumed + prefixLength)
            target.copyMemory(from: base + start, byteCount: length)
        }
        _ = Self.storeVarint(UInt64(length), at: base + start - assumed)
        count = start - assumed + prefixLength + length
    }

    mutating func fixed64(_ value: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count += 8
    }

    private mutating func byte(_ value: UInt8) {
        reserve(1)
        base[count] = value
        count += 1
    }

    private mutating func append(_ data: UnsafeRawBufferPointer) {
        guard let source = data.baseAddress, !data.isEmpty else { return }
        reserve(data.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: data.count)
        count += data.count
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if _slowPath(count + extra > capacity) { grow(count + extra) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = max(needed, capacity * 2)
    }

    private static func varintLength(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }

    /// Stores `value` as a varint at `p`; returns its length.
    @inline(__always)
    private static func storeVarint(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> Int {
        var rest = value
        var length = 0
        while rest >= 0x80 {
            p[length] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
            length += 1
        }
        p[length] = UInt8(rest)
        return length + 1
    }
}

/// Reads what ``ByteWriter`` wrote; any inconsistency is a ``StoreError`` (a damaged store), never a crash.
///
/// A reader covers a range of its bytes: ``block(_:)`` hands out a reader of the next run of bytes without copying
/// them, and strings are made from the bytes in place (through a ``DecodedStrings`` cache where one is given).
struct ByteReader {
    private let bytes: [UInt8]
    private let end: Int
    private(set) var position: Int
    /// Where strings come from; nil makes each afresh.
    private let strings: DecodedStrings?

    init(_ bytes: [UInt8], strings: DecodedStrings? = nil) {
        self.init(bytes, from: 0, to: bytes.count, strings: strings)
    }

    private init(_ bytes: [UInt8], from start: Int, to end: Int, strings: DecodedStrings?) {
        self.bytes = bytes
        self.position = start
        self.end = end
        self.strings = strings
    }

    var isAtEnd: Bool { position == end }

    mutating func byte() throws(StoreError) -> UInt8 {
        guard position < end else { throw .corrupt("a stored record ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned() throws(StoreError) -> UInt64 {
        // Most numbers are one byte: read it without the loop.
        if position < end, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw .corrupt("a stored number is too long") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(StoreError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func count(limit: Int = 1 << 28) throws(StoreError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(limit) else { throw .corrupt("a stored length is implausible") }
        return Int(value)
    }

    mutating func string() throws(StoreError) -> String {
        let length = try count(limit: end)
        guard length <= end - position else { throw .corrupt("a stored string runs past its record") }
        defer { position += length }
        return bytes.withUnsafeBufferPointer { bytes in
            let utf8 = UnsafeBufferPointer(rebasing: bytes[position..<position + length])
            return strings?.string(utf8) ?? String(decoding: utf8, as: UTF8.self)
        }
    }

    /// A reader of the next `length` bytes, sharing them (and the string cache).
    mutating func block(_ length: Int) throws(StoreError) -> ByteReader {
        guard length <= end - position else { throw .corrupt("a stored block runs past its record") }
        defer { position += length }
        return ByteReader(bytes, from: position, to: position + length, strings: strings)
    }

    mutating func optionalString() throws(StoreError) -> String? { try byte() == 0 ? nil : try string() }

    mutating func optionalSigned() throws(StoreError) -> Int64? { try byte() == 0 ? nil : try signed() }

    mutating func bool() throws(StoreError) -> Bool { try byte() != 0 }

    mutating func fixed64() throws(StoreError) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(try byte()) << UInt64(shift) }
        return value
    }
}
