/// For each level of a record and each member name of that level's ``MemberTable``, the name that followed it the
/// last time (as an index into the table), so that the parser can compare the next name in place instead of scanning
/// it and looking it up: CloudTrail writes every record's members in the same order.
///
/// A guess is only a candidate: the parser takes it when the bytes are exactly the name and its closing quote, and
/// otherwise scans the name as it would have, so a record in another order parses the same, only slower. One per
/// scanner (it changes as records are parsed), freed with ``deallocate()``.
struct MemberPredictions {
    /// Slots per level: the object's start, each name, and "a name the table does not have".
    static let stride = 64
    private let guesses: UnsafeMutablePointer<Int8>

    init() {
        precondition(
            MemberLevel.allCases.allSatisfy { MemberTable.levels[$0.rawValue].count + 2 <= Self.stride },
            "a member table has more names than its predictions have slots")
        guesses = .allocate(capacity: MemberLevel.allCases.count * Self.stride)
        guesses.initialize(repeating: -1, count: MemberLevel.allCases.count * Self.stride)
    }

    /// The guesses of `level`'s objects: at slot 0 the first name, at slot i + 1 the name after name i, at slot
    /// count + 1 the name after one the table does not have; -1 for none.
    @inline(__always)
    func level(_ level: MemberLevel) -> UnsafeMutablePointer<Int8> { guesses + level.rawValue * Self.stride }

    func deallocate() { guesses.deallocate() }
}
