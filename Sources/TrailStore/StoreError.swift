/// Why the state store cannot be used: a message that says what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case cannotOpen, busy, newerVersion, corrupt, notFound, failed
    }

    public let kind: Kind
    private let detail: String

    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }

    static func corrupt(_ detail: String) -> StoreError {
        StoreError(.corrupt, "the state store is damaged (\(detail)); restore it from a backup or start a new one")
    }

    static func busy(_ path: String) -> StoreError {
        StoreError(
            .busy,
            "\(path) is in use by another keytrail run and stayed locked for the whole wait; try again when it "
                + "finishes")
    }

    static func newerVersion(_ path: String, _ migrations: [String]) -> StoreError {
        StoreError(
            .newerVersion,
            "\(path) was written by a newer keytrail (schema \(migrations.last ?? "?")); upgrade keytrail to use it")
    }
}
