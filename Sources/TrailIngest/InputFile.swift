/// One input to read: a file, a FIFO or standard input.
public struct InputFile: Sendable, Hashable {
    /// Where the bytes come from.
    public enum Location: Sendable, Hashable {
        case path(String)
        case standardInput
    }

    /// Where the bytes come from.
    public var location: Location
    /// The path as the user gave it or as the folder walk found it; `-` for stdin.
    public var displayPath: String
    /// Size in bytes as stored, when known (not for stdin or FIFOs).
    public var size: Int64?
    /// Modification time in nanoseconds since the epoch, when known.
    public var modificationTime: Int64?
    /// How the JSON is laid out.
    public var format: InputFormat
    /// What the path says about the file.
    public var archive: ArchivePath

    /// Describes a file.
    public init(path: String, size: Int64?, modificationTime: Int64? = nil, format: InputFormat? = nil) {
        self.location = .path(path)
        self.displayPath = path
        self.size = size
        self.modificationTime = modificationTime
        self.format = format ?? InputFormat.guess(fromName: path)
        self.archive = ArchivePath(path)
    }

    /// Standard input; its layout is detected from the data.
    public static let standardInput = InputFile(
        location: .standardInput, displayPath: "-", size: nil, modificationTime: nil, format: .document,
        archive: ArchivePath(""))

    private init(
        location: Location, displayPath: String, size: Int64?, modificationTime: Int64?, format: InputFormat,
        archive: ArchivePath
    ) {
        self.location = location
        self.displayPath = displayPath
        self.size = size
        self.modificationTime = modificationTime
        self.format = format
        self.archive = archive
    }
}
