import TrailModel

/// Why one record was skipped while the rest of its file was read.
public enum RecordProblem: String, Sendable, Hashable, CaseIterable, Comparable {
    case missingEventTime
    case unparsableEventTime
    case missingEventName
    case notAnObject
    case invalidUTF8
    case controlCharacter
    case invalidEscape
    case malformedLine
    case nestedTooDeep
    case duplicateField

    /// A phrase for messages: "records without eventTime".
    public var phrase: String {
        switch self {
        case .missingEventTime: return "without eventTime"
        case .unparsableEventTime: return "with an eventTime that is not an ISO 8601 time"
        case .missingEventName: return "without eventName"
        case .notAnObject: return "that are not JSON objects"
        case .invalidUTF8: return "with invalid UTF-8 in a string"
        case .controlCharacter: return "with a raw control character (such as NUL) in a string"
        case .invalidEscape: return "with an invalid escape sequence in a string"
        case .malformedLine: return "on lines that are not valid JSON"
        case .nestedTooDeep: return "with values nested deeper than \(RecordProblem.maximumNesting) levels"
        case .duplicateField:
            return "with a field given twice (such as two eventName members: which one counts is ambiguous)"
        }
    }

    /// The deepest nesting a record may have. CloudTrail's deepest real records nest a few tens of levels; the limit
    /// matches ``JSONValue/maximumDepth``, so every record the scanner accepts can also be parsed for the rules.
    public static let maximumNesting = JSONValue.maximumDepth

    public static func < (lhs: RecordProblem, rhs: RecordProblem) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How often one ``RecordProblem`` occurred in a file, and where first.
public struct ProblemTally: Sendable, Equatable {
    /// Records with the problem.
    public var count: Int
    /// One-based index of the first such record in the file.
    public var firstRecord: Int
    /// Offset of that record in the decompressed data.
    public var firstOffset: Int64
}

/// What scanning one input produced besides its events.
public struct ScanSummary: Sendable, Equatable {
    /// Records read (every element of a Records array or every event line), valid or not.
    public var records = 0
    /// Records skipped as invalid (see ``problems``).
    public var invalidRecords = 0
    /// The invalid records by reason.
    public var problems: [RecordProblem: ProblemTally] = [:]
    /// Decompressed bytes read.
    public var bytesDecompressed: Int64 = 0
    /// Why reading stopped early, if it did; the records before that point were read.
    public var error: IngestError?

    /// Creates an empty summary.
    public init() {}

    mutating func note(_ problem: RecordProblem, record: Int, offset: Int64) {
        invalidRecords += 1
        if problems[problem] == nil {
            problems[problem] = ProblemTally(count: 1, firstRecord: record, firstOffset: offset)
        } else {
            problems[problem]!.count += 1
        }
    }

    /// One message per problem: "3 records without eventTime were skipped (first: record 1 at byte 17)".
    public var problemMessages: [String] {
        problems.keys.sorted().map { problem in
            let tally = problems[problem]!
            let noun = tally.count == 1 ? "record" : "records"
            return "\(tally.count) \(noun) \(problem.phrase) skipped"
                + " (first: record \(tally.firstRecord) at byte \(tally.firstOffset) of the decompressed data)"
        }
    }
}
