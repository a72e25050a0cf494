import TrailModel

extension JSONValue {
    /// A copy with the member at dotted `path` set to `value` (objects created on the way), or removed when
    /// `value` is nil.
    public func setting(_ path: String, to value: JSONValue?) -> JSONValue {
        setting(path.split(separator: ".").map(String.init)[...], to: value)
    }

    private func setting(_ path: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
        guard let key = path.first else { return value ?? .null }
        var members: [Member] = []
        if case .object(let existing) = self { members = existing }
        let child = members.last { $0.key == key }?.value ?? .object([])
        members.removeAll { $0.key == key }
        if path.count == 1 {
            if let value { members.append(.init(key, value)) }
        } else {
            members.append(.init(key, child.setting(path.dropFirst(), to: value)))
        }
        return .object(members)
    }
}

extension RecordBuilder {
    /// The record as JSON with members at dotted paths set (or removed, for nil).
    public func json(setting changes: [(String, JSONValue?)]) -> String {
        var value = try! JSONValue.parse(json)
        for (path, change) in changes { value = value.setting(path, to: change) }
        return value.jsonText
    }
}
