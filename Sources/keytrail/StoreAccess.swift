import Foundation
import TrailStore

/// Opens an existing state store for the commands that read or change it, turning failures into exit 2 with the
/// store's message.
enum StoreAccess {
    static func open(_ location: StateLocation) throws -> StateStore {
        let path = try location.required()
        do {
            return try StateStore.open(path: path, create: false)
        } catch {
            CommandFailure.exit("\(error)")
        }
    }

    /// Runs a store operation, failing with its message.
    static func perform<T>(_ body: () throws(StoreError) -> T) -> T {
        do {
            return try body()
        } catch {
            CommandFailure.exit("\(error)")
        }
    }
}
