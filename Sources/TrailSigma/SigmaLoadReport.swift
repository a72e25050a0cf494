import TrailAnalysis

/// A problem with a Sigma rule file, at a line: the rule cannot be loaded (an error) or loads without something
/// (a note).
public struct SigmaProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// What loading Sigma rule files gave: the rules, what could not be loaded, and what was skipped.
public struct SigmaLoadReport: Sendable {
    /// One loaded rule, for `keytrail rules check`.
    public struct Entry: Sendable, Equatable {
        public let id: String
        public let title: String
        /// `detection` or the correlation type.
        public let kind: String
        public let file: String
        public let line: Int?
        /// The field whose value finds the rule through the index, or nil when it is tested on every record.
        public let indexedBy: String?
        public var indexed: Bool { indexedBy != nil }
    }

    public var rules = SigmaRuleSet()
    public var loaded: [Entry] = []
    /// Rules that could not be loaded; a scan refuses to start with any.
    public var errors: [SigmaProblem] = []
    /// Rules that load but probably do not do what their author meant (a field name used as a value).
    public var warnings: [SigmaProblem] = []
    /// Documents skipped because they are for another log source than AWS CloudTrail.
    public var skipped: [SigmaProblem] = []
    /// How many files were read.
    public var files = 0

    public init() {}
}
