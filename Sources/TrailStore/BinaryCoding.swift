/// Writes the compact binary form of stored records: unsigned LEB128 varints, zig-zag signed integers and
/// length-prefixed UTF-8 strings.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    mutating func string(_ value: String) {
        // Through the contiguous UTF-8 (native strings always have it): appending the UTF-8 view went element by
        // element, which showed in profiles of encoding 50,000 keys.
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        if done == nil {
            count(value.utf8.count)
            bytes.append(contentsOf: value.utf8)
        }
    }

    mutating func optionalString(_ value: String?) {
        if let value {
            bytes.append(1)
            string(value)
        } else {
            bytes.append(0)
        }
    }

    mutating func optionalSigned(_ value: Int64?) {
        if let value {
            bytes.append(1)
            signed(value)
        } else {
            bytes.append(0)
        }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends bytes as they are.
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Forgets what was written, keeping the storage.
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends a length-prefixed run of bytes.
    mutating func block(_ data: [UInt8]) {
        count(data.count)
        bytes.append(contentsOf: data)
    }

    mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads what ``ByteWriter`` wrote; any inconsistency is a ``StoreError`` (a damaged store), never a crash.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func byte() throws(StoreError) -> UInt8 {
        guard position < bytes.count else { throw .corrupt("a stored record ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned() throws(StoreError) -> UInt64 {
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
        let length = try count(limit: bytes.count)
        guard position + length <= bytes.count else { throw .corrupt("a stored string runs past its record") }
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    /// The next `length` bytes.
    mutating func slice(_ length: Int) throws(StoreError) -> [UInt8] {
        guard length <= bytes.count - position else { throw .corrupt("a stored block runs past its record") }
        defer { position += length }
        return Array(bytes[position..<position + length])
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
