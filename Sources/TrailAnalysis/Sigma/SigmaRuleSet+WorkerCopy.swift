import TrailModel

/// Deep copies of the compiled rules for each worker thread.
///
/// Evaluating a rule reads class instances, indirect enum boxes and array buffers; Swift retains and releases them
/// with atomic operations, and when two cores do that to the same objects for every record, the cache line holding
/// the reference count moves between cores on every access (measured: the scan phase with two workers took 62%
/// longer with SigmaHQ's rules on shared objects, against 29% on per-worker copies). Each worker therefore
/// evaluates its own copy; only the slow path (building a finding's evidence) touches the shared set.
extension SigmaRuleSet {
    /// Fresh copies of the index and of every rule's searches and condition, sharing no buffer with `self`.
    func workerTables() -> (indexes: [FieldIndex], programs: [SigmaProgram], unindexed: [Int]) {
        let indexes = self.indexes.map { index in
            FieldIndex(field: index.field, values: index.values.copy(), rules: index.rules.map { $0.map { $0 } })
        }
        let programs = self.programs.map { program in
            SigmaProgram(searches: program.searches.map { $0.copy() }, condition: program.condition.copy())
        }
        return (indexes, programs, unindexed.map { $0 })
    }
}

extension SigmaCondition {
    func copy() -> SigmaCondition {
        switch self {
        case .search(let index): return .search(index)
        case .not(let inner): return .not(inner.copy())
        case .and(let parts): return .and(parts.map { $0.copy() })
        case .or(let parts): return .or(parts.map { $0.copy() })
        }
    }
}

extension SigmaSearch {
    func copy() -> SigmaSearch {
        switch self {
        case .allOf(let tests): return .allOf(tests.map { $0.copy() })
        case .anyOf(let maps): return .anyOf(maps.map { $0.map { $0.copy() } })
        case .keywords(let matchers, let all): return .keywords(matchers.map { $0.copy() }, all: all)
        }
    }
}

extension SigmaFieldTest {
    func copy() -> SigmaFieldTest {
        switch check {
        case .values(let matchers, let all):
            return SigmaFieldTest(path: path.copy(), check: .values(matchers.map { $0.copy() }, all: all))
        case .exists(let flag):
            return SigmaFieldTest(path: path.copy(), check: .exists(flag))
        case .fieldref(let others, let kind, let all):
            return SigmaFieldTest(path: path.copy(), check: .fieldref(others.map { $0.copy() }, kind, all: all))
        }
    }
}

extension SigmaFieldPath {
    func copy() -> SigmaFieldPath {
        switch self {
        case .field, .readOnly: return self
        case .member(let field, let path): return .member(field, path.map { String($0) })
        case .record(let path): return .record(path.map { String($0) })
        }
    }
}

extension SigmaValueMatcher {
    func copy() -> SigmaValueMatcher {
        switch self {
        case .text(let pattern): return .text(pattern.copy())
        case .number(let value, let pattern): return .number(value, pattern.copy())
        case .anyOf(let matchers): return .anyOf(matchers.map { $0.copy() })
        // Regexes run only after their literal matched; CIDRs hold a few bytes: sharing them costs nothing.
        case .bool, .null, .regex, .compare, .cidr: return self
        }
    }
}

extension SigmaPattern {
    func copy() -> SigmaPattern { SigmaPattern(copying: self) }
}

extension NameIndex {
    func copy() -> NameIndex { NameIndex(copying: self) }
}
