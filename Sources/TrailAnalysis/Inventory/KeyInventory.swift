import Foundation
import TrailModel

/// The access keys an account has, from its IAM credential report and `aws iam list-access-keys` output.
///
/// Formats are detected from the content: the report as CSV (as `get-credential-report` content decodes to) or as
/// the raw JSON `aws iam get-credential-report` prints (base64 content); `list-access-keys` as one document, an
/// array of documents, or JSON lines. Keys listed with IDs are matched to report slots by user and creation time,
/// so a key gets both its ID and its last-used date.
public struct KeyInventory: Sendable, Equatable {
    /// Every key, matched where possible.
    public private(set) var keys: [InventoryKey] = []
    /// The files read.
    public private(set) var sources: [String] = []

    public init() {}

    /// The columns a credential report must have.
    static let requiredColumns = [
        "user", "arn", "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    ]

    /// Reads an inventory file and adds its keys.
    public mutating func add(path: String) throws(InventoryError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryError(path: path, reason: "cannot read the file")
        }
        try add(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Adds the keys in `text`, read from `path` (for messages).
    public mutating func add(text: String, path: String) throws(InventoryError) {
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            try addJSON(String(trimmed), path: path)
        } else if trimmed.lowercased().hasPrefix("user,") {
            try addCredentialReport(String(trimmed), path: path)
        } else {
            throw InventoryError(
                path: path, line: 1,
                reason: "not an IAM credential report (CSV starting with user,arn,…) nor list-access-keys JSON")
        }
        sources.append(path)
    }

    // MARK: Credential report

    private mutating func addCredentialReport(_ text: String, path: String) throws(InventoryError) {
        let rows: [(line: Int, fields: [String])]
        do {
            rows = try CSVReader.rows(text)
        } catch {
            throw InventoryError(path: path, line: error.line, reason: error.reason)
        }
        guard let header = rows.first else { throw InventoryError(path: path, line: 1, reason: "the file is empty") }
        let columns = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = Self.requiredColumns.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw InventoryError(
                path: path, line: header.line,
                reason: "not a credential report: missing column(s) \(missing.joined(separator: ", "))")
        }
        var reported: [InventoryKey] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.fields.count else {
                throw InventoryError(
                    path: path, line: row.line,
                    reason: "\(row.fields.count) fields where the header has \(header.fields.count)")
            }
            func value(_ column: String) -> String? { columns[column].map { row.fields[$0] } }
            func date(_ column: String) throws(InventoryError) -> Int64? {
                guard let text = value(column), !Self.isNoValue(text) else { return nil }
                guard let time = Timestamp.parse(text, allowDateOnly: true) else {
                    throw InventoryError(
                        path: path, line: row.line, reason: "column \(column): \"\(text)\" is not an ISO 8601 date")
                }
                return time
            }
            let user = value("user") ?? ""
            for slot in 1...2 {
                let prefix = "access_key_\(slot)_"
                let active = value(prefix + "active")?.lowercased() == "true"
                let created = try date(prefix + "last_rotated")
                guard active || created != nil else { continue }
                reported.append(
                    InventoryKey(
                        userName: user, userArn: value("arn"), slot: slot, isActive: active, created: created,
                        lastUsed: try date(prefix + "last_used_date"),
                        lastUsedService: value(prefix + "last_used_service").flatMap { Self.isNoValue($0) ? nil : $0 },
                        lastUsedRegion: value(prefix + "last_used_region").flatMap { Self.isNoValue($0) ? nil : $0 },
                        source: "\(path):\(row.line)"))
            }
        }
        merge(reported)
    }

    static func isNoValue(_ text: String) -> Bool {
        ["", "n/a", "no_information", "not_supported"].contains(text.lowercased())
    }

    // MARK: JSON

    private mutating func addJSON(_ text: String, path: String) throws(InventoryError) {
        var documents: [(line: Int, value: JSONValue)] = []
        do {
            documents = [(1, try JSONValue.parse(text))]
        } catch {
            // JSON lines: one document per line.
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                do {
                    documents.append((index + 1, try JSONValue.parse(trimmed)))
                } catch {
                    throw InventoryError(path: path, line: index + 1, reason: "invalid JSON: \(error.reason)")
                }
            }
        }
        var listed: [InventoryKey] = []
        for (line, document) in documents {
            for item in document.asList {
                if let content = item["Content"]?.stringValue {
                    guard let data = Data(base64Encoded: content) else {
                        throw InventoryError(path: path, line: line, reason: "Content is not base64")
                    }
                    try addCredentialReport(String(decoding: data, as: UTF8.self), path: path)
                    continue
                }
                guard let metadata = item["AccessKeyMetadata"]?.arrayValue else {
                    throw InventoryError(
                        path: path, line: line,
                        reason:
                            "expected list-access-keys output ({\"AccessKeyMetadata\":[…]}) or get-credential-report"
                            + " output ({\"Content\":…})")
                }
                for key in metadata {
                    guard let id = key["AccessKeyId"]?.stringValue, let user = key["UserName"]?.stringValue else {
                        throw InventoryError(path: path, line: line, reason: "an entry lacks AccessKeyId or UserName")
                    }
                    var created: Int64? = nil
                    if let text = key["CreateDate"]?.stringValue {
                        guard let time = Timestamp.parse(text, allowDateOnly: true) else {
                            throw InventoryError(
                                path: path, line: line,
                                reason: "CreateDate \"\(text)\" of \(id) is not an ISO 8601 date")
                        }
                        created = time
                    }
                    listed.append(
                        InventoryKey(
                            userName: user, accessKeyId: id,
                            isActive: key["Status"]?.stringValue?.lowercased() == "active", created: created,
                            source: "\(path):\(line)"))
                }
            }
        }
        merge(listed)
    }

    // MARK: Matching

    /// Adds keys, joining a key with an ID to a report slot of the same user created within a day of it.
    private mutating func merge(_ incoming: [InventoryKey]) {
        for key in incoming {
            if let index = keys.firstIndex(where: { Self.sameKey($0, key) }) {
                keys[index] = Self.combine(keys[index], key)
            } else {
                keys.append(key)
            }
        }
    }

    private static func sameKey(_ a: InventoryKey, _ b: InventoryKey) -> Bool {
        guard a.userName == b.userName else { return false }
        if let x = a.accessKeyId, let y = b.accessKeyId { return x == y }
        if let x = a.slot, let y = b.slot, a.accessKeyId == nil && b.accessKeyId == nil { return x == y }
        guard let x = a.created, let y = b.created else { return false }
        return abs(x - y) <= 86_400
    }

    private static func combine(_ a: InventoryKey, _ b: InventoryKey) -> InventoryKey {
        var key = a
        key.accessKeyId = a.accessKeyId ?? b.accessKeyId
        key.slot = a.slot ?? b.slot
        key.userArn = a.userArn ?? b.userArn
        key.created = a.created ?? b.created
        key.lastUsed = [a.lastUsed, b.lastUsed].compactMap { $0 }.max()
        key.lastUsedService = a.lastUsedService ?? b.lastUsedService
        key.lastUsedRegion = a.lastUsedRegion ?? b.lastUsedRegion
        // The listing's status is current; the report may be hours old.
        key.isActive = b.accessKeyId != nil ? b.isActive : a.isActive
        key.source = a.source + ", " + b.source
        return key
    }
}
