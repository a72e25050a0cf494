/// Why an inventory file could not be read: names the file and line, and says what was expected.
public struct InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// One-based line, when the problem is on one.
    public let line: Int?
    public let reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
    }
}
