import Foundation
import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("LogFileReader.keyHint: a record's access key ID, handed over as soon as it is parsed")
struct KeyHintTests {
    /// The hints a reader gives while reading `text` in chunks of `chunkSize`, and how many records it counted.
    private static func hints(_ text: String, chunkSize: Int = .max) -> (hints: [String], records: Int) {
        let reader = LogFileReader()
        var hints: [String] = []
        reader.keyHint = { p, count in
            hints.append(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
        }
        var records = 0
        let summary = reader.read(bytes: Array(text.utf8), chunkSize: chunkSize) { _ in records += 1 }
        #expect(summary.error == nil)
        return (hints, records)
    }

    @Test("the raw bytes of each record's key, escapes and all; records without one give none")
    func rawKeyBytes() {
        let document = RecordBuilder.document([
            RecordBuilder { $0.accessKeyId = "AKIAIOSFODNN7EXAMPLE" },
            RecordBuilder { $0.accessKeyId = nil },
            RecordBuilder { $0.accessKeyId = "ASIAY34FZKBOKMUTVV7A" },
        ])
        // An escaped key ID is hinted as it stands in the file; the event carries it decoded.
        let escaped = document.replacingFirst(#""ASIAY34FZKBOKMUTVV7A""#, with: #""ASIA\u0059\/34FZKBOKMUTVV7A""#)
        let (hints, records) = Self.hints(escaped)
        #expect(records == 3)
        #expect(hints == ["AKIAIOSFODNN7EXAMPLE", #"ASIA\u0059\/34FZKBOKMUTVV7A"#])
    }

    @Test("a record cut by a chunk boundary may be hinted again when it is parsed whole, never skipped")
    func chunkedRecords() {
        let keys = (0..<40).map { String(format: "AKIA%016d", $0) }
        let document = RecordBuilder.document(keys.map { key in RecordBuilder { $0.accessKeyId = key } })
        let (hints, records) = Self.hints(document, chunkSize: 97)
        #expect(records == keys.count)
        // Retried records repeat their hint; in order, with repeats removed, the hints are the keys.
        var distinctInOrder: [String] = []
        for hint in hints where distinctInOrder.last != hint { distinctInOrder.append(hint) }
        #expect(distinctInOrder == keys)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
