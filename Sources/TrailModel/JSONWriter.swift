/// Writes JSON text with members in the order they are written, so documents match the published contracts
/// byte for byte and are identical across runs.
///
/// Strings are escaped per RFC 8259 (control characters as `\uXXXX` or their short forms); Swift strings are
/// valid Unicode, so the output is always valid JSON whatever bytes the logs held.
///
/// The text goes into a buffer the writer manages itself: each value reserves room once and stores its bytes
/// through a pointer, where appending to an `Array` checked uniqueness and capacity for every byte (rendering a
/// large scan's keys spent a third of its time there).
///
/// A writer is a reference: one buffer, whoever holds it. As a value type whose copies shared the buffer until one
/// wrote, every reservation called the runtime's uniqueness check (7% of rendering); as a `~Copyable` struct it was
/// miscompiled when held in an `async` function's frame (Swift 6.3: its fields read as garbage). Its state is read and
/// written only by the thread that holds it, so the accesses are unchecked.
public final class JSONWriter {
    /// Spaces per level, 0 for compact output.
    public let indentWidth: Int
    /// Nesting levels outside this writer, for fragments that are spliced into a larger document.
    private let baseDepth: Int
    /// Whether top-level values are elements of an array (see ``init(indent:depth:elements:)``).
    private let writesElements: Bool
    @exclusivity(unchecked) private var hasTopLevelValue = false
    /// The open containers, innermost last: whether each has members yet and is written on one line.
    @exclusivity(unchecked) private var containers = ContainerStack()
    @exclusivity(unchecked) private var afterKey = false
    /// The text's memory, `capacity` bytes of which `count` are written.
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var count = 0
    /// A newline followed by enough spaces for any depth, copied in one piece.
    private static let lineBreaks: [UInt8] = [UInt8(ascii: "\n")] + Array(repeating: UInt8(ascii: " "), count: 256)

    /// Creates a writer.
    /// - Parameters:
    ///   - indent: spaces per level for pretty output, or 0 for compact single-line output.
    ///   - depth: the nesting depth at which this writer's first value sits, for fragments of a larger document.
    ///   - elements: write several top-level values as consecutive elements of an array at `depth` (separated by
    ///     commas and line breaks), so a run of array elements is one fragment; the caller splices it in with
    ///     ``rawValue(_:)-(Array<UInt8>)``, which writes the separator before the first.
    public init(indent: Int = 0, depth: Int = 0, elements: Bool = false) {
        self.indentWidth = indent
        self.baseDepth = depth
        self.writesElements = elements
        capacity = 4_096
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The text written so far, UTF-8.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The text written so far.
    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Opens an object (as a value or an array element).
    public func beginObject() {
        beforeValue()
        append(UInt8(ascii: "{"))
        containers.push(inline: containers.isInlineAtTop)
    }

    /// Closes the innermost object.
    public func endObject() { close(UInt8(ascii: "}")) }

    /// Opens an array.
    /// - Parameter inline: write it on one line even in pretty output (for short arrays of numbers).
    public func beginArray(inline: Bool = false) {
        beforeValue()
        append(UInt8(ascii: "["))
        containers.push(inline: inline || containers.isInlineAtTop)
    }

    /// Closes the innermost array.
    public func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member name; the next call writes its value.
    public func key(_ name: String) {
        separate()
        appendString(name)
        if indentWidth > 0 {
            append(UInt8(ascii: ":"), UInt8(ascii: " "))
        } else {
            append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    /// Writes a string value, or null.
    public func value(_ string: String?) {
        beforeValue()
        if let string { appendString(string) } else { appendLiteral("null") }
    }

    /// Writes UTF-8 text as a string value, escaped as needed (without a String made of it).
    public func value(utf8 text: UnsafeBufferPointer<UInt8>) {
        beforeValue()
        appendUTF8(text)
    }

    /// Writes an integer value.
    public func value(_ number: Int) {
        beforeValue()
        appendInteger(Int64(number))
    }

    /// Writes an integer value.
    public func value(_ number: Int64) {
        beforeValue()
        appendInteger(number)
    }

    /// Writes a time as an ISO 8601 string, `"2026-11-28T23:59:59Z"`.
    public func timestamp(_ seconds: Int64) {
        beforeValue()
        reserve(Timestamp.formattedLength + 2)
        let p = base + count
        p[0] = UInt8(ascii: "\"")
        Timestamp.write(seconds, to: p + 1)
        p[Timestamp.formattedLength + 1] = UInt8(ascii: "\"")
        count += Timestamp.formattedLength + 2
    }

    /// Hands the text written so far to `body` and empties the buffer (keeping its capacity), for streaming
    /// large documents out in pieces.
    public func drain(_ body: ([UInt8]) throws -> Void) rethrows {
        try body(bytes)
        count = 0
    }

    /// Writes a floating-point value (finite; non-finite values are written as null).
    public func value(_ number: Double) {
        beforeValue()
        if number.isFinite {
            appendLiteral(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        } else {
            appendLiteral("null")
        }
    }

    /// Writes a boolean value.
    public func value(_ flag: Bool) {
        beforeValue()
        appendLiteral(flag ? "true" : "false")
    }

    /// Writes null.
    public func null() {
        beforeValue()
        appendLiteral("null")
    }

    /// Writes already-serialized JSON as a value. The caller guarantees it is valid JSON.
    public func rawValue(_ json: String) {
        beforeValue()
        appendLiteral(json)
    }

    /// Writes an already-serialized value (such as a fragment from a writer created with the right `depth`).
    public func rawValue(_ json: [UInt8]) {
        beforeValue()
        json.withUnsafeBufferPointer { append($0) }
    }

    /// Writes an already-serialized value straight to `output`, after handing it the text written before (with the
    /// separator the value needs): a large fragment is then never copied into this writer.
    public func rawValue(_ json: [UInt8], drainingTo output: ([UInt8]) throws -> Void) rethrows {
        beforeValue()
        try drain(output)
        try output(json)
    }

    /// Writes `"name": value` for a string; omits the member when `value` is nil and `omitNil` is set.
    public func field(_ name: String, _ value: String?, omitNil: Bool = false) {
        if value == nil && omitNil { return }
        key(name)
        self.value(value)
    }

    /// Writes `"name": number`.
    public func field(_ name: String, _ number: Int) {
        key(name)
        value(number)
    }

    /// Writes `"name": flag`.
    public func field(_ name: String, _ flag: Bool) {
        key(name)
        value(flag)
    }

    /// Writes `"name": [strings…]`.
    public func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    /// Appends a newline (between JSON-lines records or at the end of a document).
    public func newline() { append(UInt8(ascii: "\n")) }

    /// Escapes `string` as a JSON string literal, quotes included.
    public static func quoted(_ string: String) -> String {
        let writer = JSONWriter()
        writer.value(string)
        return writer.text
    }

    // MARK: - The buffer

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private func reserve(_ extra: Int) {
        if _slowPath(count + extra > capacity) { grow(extra) }
    }

    @inline(never)
    private func grow(_ extra: Int) {
        let grownCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = grownCapacity
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private func append(_ first: UInt8, _ second: UInt8) {
        reserve(2)
        base[count] = first
        base[count + 1] = second
        count += 2
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    // MARK: - Layout

    private func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        separate()
    }

    private func separate() {
        guard containers.depth > 0 else {
            if writesElements {
                if hasTopLevelValue {
                    append(UInt8(ascii: ","))
                    lineBreak(depth: baseDepth)
                }
                hasTopLevelValue = true
            }
            return
        }
        let (hadMembers, inline) = containers.markMember()
        if inline {
            if hadMembers { indentWidth > 0 ? append(UInt8(ascii: ","), UInt8(ascii: " ")) : append(UInt8(ascii: ",")) }
        } else {
            if hadMembers { append(UInt8(ascii: ",")) }
            lineBreak(depth: baseDepth + containers.depth)
        }
    }

    private func close(_ bracket: UInt8) {
        let (hadMembers, wasInline) = containers.pop()
        if hadMembers && !wasInline { lineBreak(depth: baseDepth + containers.depth) }
        append(bracket)
    }

    private func lineBreak(depth: Int) {
        guard indentWidth > 0 else { return }
        let length = min(1 + depth * indentWidth, Self.lineBreaks.count)
        Self.lineBreaks.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[..<length])) }
    }

    private func appendLiteral(_ literal: String) {
        var literal = literal
        literal.withUTF8 { append($0) }
    }

    private func appendInteger(_ number: Int64) {
        // At most 19 digits and a sign, written from the last digit back, two at a time.
        reserve(20)
        if number < 0 {
            guard number != .min else {
                appendLiteral(String(number))
                return
            }
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = number.magnitude
        let p = base + count
        if magnitude < 10 {
            p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            count += 1
            return
        }
        var length = 2
        var limit: UInt64 = 100
        while magnitude >= limit && length < 19 {
            length += 1
            limit &*= 10
        }
        var end = p + length
        Self.digitPairs.withUnsafeBufferPointer { pairs in
            while magnitude >= 100 {
                let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
                magnitude /= 100
                end -= 2
                end[0] = pairs[pair]
                end[1] = pairs[pair &+ 1]
            }
            if magnitude >= 10 {
                let pair = Int(truncatingIfNeeded: magnitude) &* 2
                end -= 2
                end[0] = pairs[pair]
                end[1] = pairs[pair &+ 1]
            } else {
                end -= 1
                end[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            }
        }
        count += length
    }

    /// "00" to "99", for writing integers two digits at a time.
    private static let digitPairs: [UInt8] = (0..<100).flatMap {
        [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)]
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    /// Whether any of `count` bytes needs escaping, tested eight bytes at a time: most strings need none.
    @inline(__always)
    private static func anyNeedsEscape(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        /// High bit set in each byte of `word` that is zero (exact for "is any byte zero").
        @inline(__always) func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }
        let raw = UnsafeRawPointer(p)
        var offset = 0
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            // Bytes below 0x20 (exact while the threshold is at most 0x80), quote, backslash, DEL.
            let control = (word &- ones &* 0x20) & ~word & highs
            let special =
                zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C)) | zeroBytes(word ^ (ones &* 0x7F))
            if control | special != 0 { return true }
            offset += 8
        }
        while offset < count {
            if needsEscape(p[offset]) { return true }
            offset += 1
        }
        return false
    }

    private func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
        case 0x0A: append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
        case 0..<0x20, 0x7F:
            append(UInt8(ascii: "\\"), UInt8(ascii: "u"))
            append(UInt8(ascii: "0"), UInt8(ascii: "0"))
            append(Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)])
        default: append(byte)
        }
    }

    @inline(__always)
    private func appendUTF8(_ utf8: UnsafeBufferPointer<UInt8>) {
        if utf8.isEmpty || !Self.anyNeedsEscape(utf8.baseAddress!, utf8.count) {
            // Quotes and text in one reservation.
            reserve(utf8.count + 2)
            let p = base + count
            p[0] = UInt8(ascii: "\"")
            if let source = utf8.baseAddress { (p + 1).update(from: source, count: utf8.count) }
            p[utf8.count + 1] = UInt8(ascii: "\"")
            count += utf8.count + 2
        } else {
            append(UInt8(ascii: "\""))
            for byte in utf8 { appendEscaped(byte) }
            append(UInt8(ascii: "\""))
        }
    }

    private func appendString(_ string: String) {
        let done: Bool? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            appendUTF8(utf8)
            return true
        }
        if done == nil {
            append(UInt8(ascii: "\""))
            for byte in string.utf8 { appendEscaped(byte) }
            append(UInt8(ascii: "\""))
        }
    }
}

/// A ``JSONWriter``'s open containers as bits: whether each has members yet and whether it is written on one line.
/// The first 64 levels live in two words, so the per-value bookkeeping touches no array; deeper levels (request
/// parameters nest up to the scanner's 512) spill into an array.
private struct ContainerStack {
    private(set) var depth = 0
    private var members: UInt64 = 0
    private var inline: UInt64 = 0
    /// Levels beyond 64: bit 0 has members, bit 1 inline.
    private var deeper: [UInt8] = []

    /// Whether the innermost container is written on one line (false when none is open).
    var isInlineAtTop: Bool {
        guard depth > 0 else { return false }
        let level = depth - 1
        return level < 64 ? inline & (1 << UInt64(level)) != 0 : deeper[level - 64] & 2 != 0
    }

    mutating func push(inline isInline: Bool) {
        if depth < 64 {
            let bit: UInt64 = 1 << UInt64(depth)
            members &= ~bit
            if isInline { inline |= bit } else { inline &= ~bit }
        } else {
            deeper.append(isInline ? 2 : 0)
        }
        depth += 1
    }

    /// Records that the innermost container has a member.
    /// - Returns: whether it had one before, and whether it is inline.
    mutating func markMember() -> (hadMembers: Bool, inline: Bool) {
        let level = depth - 1
        if level < 64 {
            let bit: UInt64 = 1 << UInt64(level)
            defer { members |= bit }
            return (members & bit != 0, inline & bit != 0)
        }
        let flags = deeper[level - 64]
        deeper[level - 64] = flags | 1
        return (flags & 1 != 0, flags & 2 != 0)
    }

    /// Closes the innermost container.
    /// - Returns: whether it had members, and whether it was inline.
    mutating func pop() -> (hadMembers: Bool, inline: Bool) {
        depth -= 1
        if depth < 64 {
            let bit: UInt64 = 1 << UInt64(depth)
            return (members & bit != 0, inline & bit != 0)
        }
        let flags = deeper.removeLast()
        return (flags & 1 != 0, flags & 2 != 0)
    }
}
