import Foundation

/// The names files have in the state store's ledger: absolute paths with symbolic links resolved, so runs from
/// another working directory or through another link find the same entries.
///
/// Folders are resolved once each (a day's folder holds hundreds of files), not once per file.
struct LedgerPath {
    private var folders: [Substring: String] = [:]

    mutating func canonical(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { path[..<$0] } ?? "."
        let name = slash.map { path[path.index(after: $0)...] } ?? Substring(path)
        if let resolved = folders[folder] { return resolved + "/" + name }
        let resolved = Self.resolve(folder.isEmpty ? "/" : String(folder))
        folders[folder] = resolved == "/" ? "" : resolved
        return (resolved == "/" ? "" : resolved) + "/" + name
    }

    private static func resolve(_ folder: String) -> String {
        guard let resolved = realpath(folder, nil) else {
            if folder.hasPrefix("/") { return folder }
            return FileManager.default.currentDirectoryPath + "/" + folder
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
