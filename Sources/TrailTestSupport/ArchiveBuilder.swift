import TrailModel

/// Writes CloudTrail archives in the S3 layout into a temporary folder, for tests.
public struct ArchiveBuilder {
    /// The archive's root folder.
    public let root: String

    /// Creates an empty archive in a new temporary folder.
    public init(label: String = "archive") {
        root = Fixtures.temporaryFolder(label)
    }

    /// The path of a log file as CloudTrail would name it (`.json` instead of `.json.gz` when not compressed);
    /// `unique` is the name's last part, which tells apart files delivered in the same minute.
    public func path(
        account: String = "111122223333", region: String = "us-east-1", delivered: String, gzip: Bool = true,
        unique: String = "EXAMPLE"
    ) -> String {
        let time = Timestamp.parse(delivered)!
        let day = Timestamp.formatDate(time).replacingOccurrences(of: "-", with: "/")
        let compact = Timestamp.format(time).filter { $0 != "-" && $0 != ":" }.dropLast(3) + "Z"
        return
            "\(root)/AWSLogs/\(account)/CloudTrail/\(region)/\(day)/\(account)_CloudTrail_\(region)_\(compact)_\(unique).json"
            + (gzip ? ".gz" : "")
    }

    /// Writes a log file of `records` delivered at `delivered`, gzip unless told otherwise; returns its path.
    @discardableResult
    public func addLog(
        _ records: [RecordBuilder], account: String = "111122223333", region: String = "us-east-1",
        delivered: String, gzip: Bool = true, unique: String = "EXAMPLE"
    ) -> String {
        let path = path(account: account, region: region, delivered: delivered, gzip: gzip, unique: unique)
        let document = RecordBuilder.document(records)
        Fixtures.write(gzip ? Gzip.compress(document) : Array(document.utf8), to: path)
        return path
    }

    /// Writes arbitrary bytes at a path relative to the root, returning the full path.
    @discardableResult
    public func addFile(_ relativePath: String, _ bytes: [UInt8]) -> String {
        let path = root + "/" + relativePath
        Fixtures.write(bytes, to: path)
        return path
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
