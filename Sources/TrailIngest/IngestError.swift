/// Why an input could not be read, or not completely: a specific message naming the file and where in it.
///
/// Shaped like async-http-client's `HTTPClientError`: a public struct wrapping a private code, with a ``kind``
/// to match on and a ``description`` a user can act on.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure, for callers and tests that branch on it.
    public enum Kind: String, Sendable, Hashable {
        case cannotOpen, notReadable, readFailed
        case corruptGzip, truncatedGzip, trailingGarbage
        case notJSON, notCloudTrail, truncatedJSON, malformedJSON, emptyInput
        case recordTooLarge, decompressedTooLarge
        case zlibFailure
        case interrupted
    }

    /// The class of failure.
    public let kind: Kind
    /// The input's path as the user gave it (`-` for stdin); empty until the reader attaches it.
    public private(set) var path: String
    /// Offset in the decompressed stream where the problem was found, when known.
    public let offset: Int64?
    /// Offset in the file as stored (compressed), when known.
    public let fileOffset: Int64?
    private let detail: String

    private init(_ kind: Kind, _ detail: String, offset: Int64? = nil, fileOffset: Int64? = nil) {
        self.kind = kind
        self.detail = detail
        self.offset = offset
        self.fileOffset = fileOffset
        self.path = ""
    }

    /// The message without the path: what went wrong and what to do.
    public var message: String {
        var text = detail
        if let fileOffset {
            text += " (at byte \(fileOffset) of the file)"
        } else if let offset {
            text += " (at byte \(offset) of the decompressed data)"
        }
        return text
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error, attributed to `path`.
    public func at(path: String) -> IngestError {
        var copy = self
        copy.path = path
        return copy
    }

    public static func cannotOpen(_ reason: String) -> IngestError {
        IngestError(.cannotOpen, "cannot open: \(reason)")
    }

    public static func notReadable(_ reason: String) -> IngestError {
        IngestError(.notReadable, reason)
    }

    public static func readFailed(_ reason: String, fileOffset: Int64) -> IngestError {
        IngestError(.readFailed, "read failed: \(reason)", fileOffset: fileOffset)
    }

    public static func corruptGzip(_ zlibMessage: String, fileOffset: Int64) -> IngestError {
        IngestError(
            .corruptGzip, "corrupt gzip data (\(zlibMessage)); the file is damaged, re-download it",
            fileOffset: fileOffset)
    }

    public static func truncatedGzip(fileOffset: Int64, decompressed: Int64) -> IngestError {
        IngestError(
            .truncatedGzip,
            "truncated gzip stream: the file ends after \(fileOffset) bytes, before the end of the compressed data"
                + " (\(decompressed) bytes were decompressed; an interrupted download or copy?)",
            fileOffset: nil)
    }

    public static func trailingGarbage(fileOffset: Int64) -> IngestError {
        IngestError(
            .trailingGarbage, "unexpected bytes after the end of the gzip data; the file is damaged",
            fileOffset: fileOffset)
    }

    public static func interrupted(by signalNumber: Int32, fileOffset: Int64) -> IngestError {
        IngestError(
            .interrupted,
            "not read to the end: \(Interruption.name(of: signalNumber)) stopped the run while it waited for data",
            fileOffset: fileOffset)
    }

    public static func zlibFailure(code: Int32) -> IngestError {
        IngestError(.zlibFailure, "zlib failed with code \(code)")
    }

    public static func notJSON(found byte: UInt8, offset: Int64) -> IngestError {
        IngestError(
            .notJSON,
            "not JSON: found \(describe(byte)) where a CloudTrail document should start;"
                + " expected a gzip or JSON file of {\"Records\":[...]} or one event per line",
            offset: offset)
    }

    public static func notCloudTrail(_ what: String, offset: Int64) -> IngestError {
        IngestError(
            .notCloudTrail,
            "not a CloudTrail log: \(what); expected {\"Records\":[...]} or one event object per line"
                + " (name such files .jsonl or .ndjson)",
            offset: offset)
    }

    public static func truncatedJSON(_ context: String, offset: Int64) -> IngestError {
        IngestError(.truncatedJSON, "the data ends \(context); the file is truncated", offset: offset)
    }

    public static func malformedJSON(_ what: String, offset: Int64) -> IngestError {
        IngestError(.malformedJSON, "malformed JSON: \(what)", offset: offset)
    }

    public static func emptyInput() -> IngestError {
        IngestError(.emptyInput, "the input is empty: no {\"Records\":[...]} document and no events")
    }

    public static func recordTooLarge(recordIndex: Int, limit: Int, offset: Int64) -> IngestError {
        IngestError(
            .recordTooLarge,
            "record \(recordIndex) is larger than the \(formatBytes(Int64(limit))) record cap;"
                + " raise it with --max-record-size if the file is genuine",
            offset: offset)
    }

    public static func decompressedTooLarge(limit: Int64) -> IngestError {
        IngestError(
            .decompressedTooLarge,
            "decompresses to more than the \(formatBytes(limit)) cap (a gzip bomb, or an unusually large file:"
                + " raise the cap with --max-decompressed-size)")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}

/// Formats a byte count with a binary unit: `64 MiB`, `4 GiB`, `512 B`.
public func formatBytes(_ count: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1_024 && unit < units.count - 1 {
        value /= 1_024
        unit += 1
    }
    if unit == 0 || value == value.rounded() { return "\(Int64(value)) \(units[unit])" }
    let tenths = Int64((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
}
