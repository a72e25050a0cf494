import Foundation
import Testing
import TrailModel
import TrailTestSupport

/// Inputs an attacker (or a broken copy job) can put in front of keytrail. Each runs the real binary on an archive
/// that also holds one good log, and checks the outcome a user sees: the bad input named on stderr with a reason,
/// the good log still read, exit 3 — never a crash, a hang or unbounded memory.
@Suite("hostile inputs, as keytrail meets them")
struct HostileInputTests {
    /// An archive holding one good gzip log of one record by `AKIAIOSFODNN7EXAMPLE`.
    static func archiveWithGoodLog(_ label: String) -> ArchiveBuilder {
        let archive = ArchiveBuilder(label: label)
        archive.addLog([RecordBuilder()], delivered: "2026-11-02T10:20:00Z")
        return archive
    }

    /// A document that opens a record, `filler` times `member` (gzip members joined), then closes it.
    static func multiMember(prefix: String, repeating member: [UInt8], times: Int, suffix: String) -> [UInt8] {
        let compressedMember = Gzip.compress(member, level: 9)
        var bytes = Gzip.compress(prefix)
        for _ in 0..<times { bytes += compressedMember }
        return bytes + Gzip.compress(suffix)
    }

    /// Runs `keytrail scan --format json` and returns the outcome with the parsed document.
    static func scanJSON(_ arguments: [String]) throws -> (CommandRunner.Outcome, [String: Any]) {
        let outcome = try CommandRunner.run(["scan", "--format", "json", "--progress", "never"] + arguments)
        let document = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        return (outcome, document ?? [:])
    }

    /// Runs `keytrail scan --format json` under GNU time and checks its peak RSS is below `limitMiB` (not under
    /// AddressSanitizer, whose shadow memory makes resident sizes meaningless).
    static func scanMeasuringMemory(_ arguments: [String], limitMiB: Int) throws -> CommandRunner.Outcome {
        let (outcome, peakKiB) = try CommandRunner.runMeasuringMemory(
            ["scan", "--format", "json", "--progress", "never"] + arguments)
        if !CommandRunner.isAddressSanitized {
            #expect(peakKiB > 0 && peakKiB < limitMiB << 10, "peak RSS \(peakKiB) KiB")
        }
        return outcome
    }

    static func stat(_ document: [String: Any], _ name: String) -> Int? {
        (document["stats"] as? [String: Any])?[name] as? Int
    }

    static func errors(_ document: [String: Any]) -> [(path: String, message: String)] {
        ((document["stats"] as? [String: Any])?["errors"] as? [[String: String]] ?? []).map {
            ($0["path"] ?? "", $0["message"] ?? "")
        }
    }

    @Test("a gzip bomb (2 GiB from 2 MB): the decompressed cap stops it, memory stays small")
    func gzipBomb() throws {
        let archive = Self.archiveWithGoodLog("bomb")
        let bomb = archive.addFile(
            "bomb.json.gz",
            Self.multiMember(
                prefix: #"{"Records":["#, repeating: [UInt8](repeating: 0x20, count: 16 << 20), times: 128,
                suffix: "]}"))
        let bombSize = try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int ?? .max
        #expect(bombSize <= 4 << 20)
        // Holding the decompressed data would take 2 GiB; the reader holds one chunk and the 64 MiB it counted.
        let outcome = try Self.scanMeasuringMemory(
            ["--max-decompressed-size", "64MiB", archive.root], limitMiB: 192)
        #expect(outcome.status == 3)
        #expect(outcome.standardError.contains("bomb.json.gz: decompresses to more than the 64 MiB cap"))
        #expect(outcome.standardOutput.contains("\"records\": 1,"))
    }

    @Test("one 100 MiB record: over the 64 MiB record cap, an error naming the record")
    func hugeRecord() throws {
        let archive = Self.archiveWithGoodLog("huge-record")
        archive.addFile(
            "huge.json.gz",
            Self.multiMember(
                prefix: #"{"Records":[{"eventTime":"2026-11-02T10:00:00Z","eventName":"PutObject","userAgent":""#,
                repeating: [UInt8](repeating: UInt8(ascii: "x"), count: 4 << 20), times: 25, suffix: #""}]}"#))
        let outcome = try Self.scanMeasuringMemory([archive.root], limitMiB: 320)
        #expect(outcome.status == 3)
        #expect(outcome.standardError.contains("huge.json.gz: record 1 is larger than the 64 MiB record cap"))
        #expect(outcome.standardOutput.contains("\"records\": 1,"))
    }

    @Test("100,000 levels of nesting in requestParameters: the record is invalid, nothing recurses")
    func deepNesting() throws {
        let archive = Self.archiveWithGoodLog("deep")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let record = RecordBuilder {
            $0.eventSource = "s3.amazonaws.com"
            $0.eventName = "PutBucketAcl"
            $0.requestParameters = #"{"bucketName":"b","AccessControlPolicy":"# + deep + "}"
        }
        archive.addLog([record, RecordBuilder()], delivered: "2026-11-02T11:20:00Z")
        // With SigmaHQ's rules loaded too, which parse request parameters.
        let (outcome, document) = try Self.scanJSON(["--rules", Fixtures.sigmaRules, archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 3)
        #expect(Self.stat(document, "invalidRecords") == 1)
        #expect(
            Self.errors(document).contains {
                $0.message.hasPrefix("1 record with values nested deeper than 512 levels")
            })
    }

    @Test("NUL bytes, invalid UTF-8 and control characters make their records invalid; lone surrogates become U+FFFD")
    func badBytes() throws {
        let archive = Self.archiveWithGoodLog("bytes")
        let good = RecordBuilder.document([RecordBuilder { $0.userAgent = "surrogate HERE alone" }])
            .replacingOccurrences(of: "HERE", with: #"\ud800"#)
        var bytes = Array(good.utf8)
        // The same record again with a raw NUL in userName, then with a lone continuation byte.
        let record = Array(RecordBuilder().json.utf8)
        var nul = record
        var invalid = record
        let nameAt = nul.indices.first { nul[$0...].starts(with: Array("\"alice\"".utf8)) }! + 1
        nul[nameAt] = 0
        invalid[nameAt] = 0x80
        bytes.removeLast(2)  // "]}"
        bytes += Array(",".utf8) + nul + Array(",".utf8) + invalid + Array("]}".utf8)
        archive.addFile("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/bytes.json", bytes)
        let (outcome, document) = try Self.scanJSON([archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 4)
        #expect(Self.stat(document, "invalidRecords") == 2)
        let messages = Self.errors(document).map(\.message)
        #expect(messages.contains { $0.contains("with a raw control character (such as NUL)") })
        #expect(messages.contains { $0.contains("with invalid UTF-8") })
        let agents = ((document["keys"] as? [[String: Any]])?.first?["userAgents"] as? [String: Int]) ?? [:]
        #expect(agents["surrogate \u{FFFD} alone"] == 1, "\(agents)")
    }

    @Test("a number of 10,000 digits is read as JSON allows; a field given twice makes the record invalid")
    func oddButValidJSON() throws {
        let archive = Self.archiveWithGoodLog("odd")
        let digits = String(repeating: "9", count: 10_000)
        let long = RecordBuilder { $0.requestParameters = #"{"maxResults":"# + digits + "}" }
        let twice = RecordBuilder { $0.eventName = "ListBuckets" }.json
            .replacingOccurrences(
                of: #""eventName":"ListBuckets""#, with: #""eventName":"ListBuckets","eventName":"DeleteTrail""#)
        archive.addFile(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/odd.json",
            Array(#"{"Records":["#.utf8) + Array(long.json.utf8) + [UInt8(ascii: ",")] + Array(twice.utf8)
                + Array("]}".utf8))
        let (outcome, document) = try Self.scanJSON(["--rules", Fixtures.sigmaRules, archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 3)
        #expect(Self.stat(document, "invalidRecords") == 1)
        #expect(Self.errors(document).contains { $0.message.hasPrefix("1 record with a field given twice") })
    }

    @Test(
        "Records that is not an array is not a CloudTrail log",
        arguments: [#"{"Records":{"eventName":"x"}}"#, #"{"Records":"[]"}"#, #"{"Records":null}"#])
    func recordsNotAnArray(text: String) throws {
        let archive = Self.archiveWithGoodLog("records-shape")
        archive.addFile("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/shape.json", Array(text.utf8))
        let (outcome, document) = try Self.scanJSON([archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 1)
        #expect(Self.errors(document).contains { $0.path.hasSuffix("shape.json") && $0.message.contains("not") })
    }

    @Test("10,000 empty files with 64 file descriptors: each named, the good log read, descriptors bounded")
    func manyEmptyFiles() throws {
        let archive = Self.archiveWithGoodLog("empty-files")
        for index in 0..<10_000 {
            archive.addFile(
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/111122223333_CloudTrail_us-east-1_"
                    + "20261103T0000Z_\(index).json.gz", [])
        }
        let outcome = try CommandRunner.run(
            ["scan", "--format", "json", "--progress", "never", "--jobs", "2", archive.root],
            wrapper: ["/usr/bin/prlimit", "--nofile=64", "--"])
        #expect(outcome.status == 3)
        let document = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        #expect(Self.stat(document ?? [:], "records") == 1)
        #expect(Self.errors(document ?? [:]).count == 10_000)
        #expect(Self.errors(document ?? [:]).allSatisfy { $0.message.contains("empty") })
        #expect(outcome.standardError.contains("… and 9980 more"))
    }

    @Test("a file truncated after discovery: the records before the cut are kept, the file is named")
    func truncatedWhileRead() throws {
        let archive = Self.archiveWithGoodLog("truncated")
        let records = (0..<2_000).map { index in RecordBuilder { $0.eventID = "e-\(index)" } }
        let path = archive.addLog(records, delivered: "2026-11-02T12:20:00Z", gzip: false)
        // keytrail reads a FIFO first (its size is unknown), so the truncation lands between discovery and reading.
        let fifo = archive.root + "/gate"
        #expect(mkfifo(fifo, 0o600) == 0)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            #expect(truncate(path, off_t(size / 2)) == 0)
            handle.write(Data(RecordBuilder.document([RecordBuilder()]).utf8))
            try? handle.close()
        }
        writer.start()
        let (outcome, document) = try Self.scanJSON(["--jobs", "1", fifo, archive.root])
        #expect(outcome.status == 3)
        let read = Self.stat(document, "records") ?? 0
        #expect(read > 2 && read < 2_002, "records \(read)")
        #expect(Self.errors(document).contains { $0.path == path && $0.message.contains("truncated") })
    }

    @Test("a file deleted after discovery cannot be opened: named, the rest read")
    func deletedWhileRead() throws {
        let archive = Self.archiveWithGoodLog("deleted")
        let path = archive.addLog([RecordBuilder()], delivered: "2026-11-02T12:20:00Z")
        let fifo = archive.root + "/gate"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            #expect(unlink(path) == 0)
            handle.write(Data(RecordBuilder.document([RecordBuilder()]).utf8))
            try? handle.close()
        }
        writer.start()
        let (outcome, document) = try Self.scanJSON(["--jobs", "1", fifo, archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 2)
        #expect(Self.errors(document).contains { $0.path == path && $0.message.contains("No such file") })
    }

    @Test("a file keytrail may not read: permission denied, named, the rest read")
    func unreadableFile() throws {
        let archive = Self.archiveWithGoodLog("unreadable")
        let path = archive.addLog([RecordBuilder()], delivered: "2026-11-02T12:20:00Z")
        #expect(chmod(path, 0) == 0)
        // As root every file is readable: drop to nobody, who may walk the archive but not open that file.
        var wrapper: [String] = []
        if geteuid() == 0 {
            wrapper = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
            let walk = try FileManager.default.subpathsOfDirectory(atPath: archive.root).map { archive.root + "/" + $0 }
            for entry in [archive.root] + walk where entry != path {
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: entry, isDirectory: &isFolder)
                chmod(entry, isFolder.boolValue ? 0o755 : 0o644)
            }
        }
        let outcome = try CommandRunner.run(
            ["scan", "--format", "json", "--progress", "never", archive.root], wrapper: wrapper)
        #expect(outcome.status == 3)
        #expect(outcome.standardError.contains("\(path): cannot open: Permission denied"))
        #expect(outcome.standardOutput.contains("\"records\": 1,"))
    }

    @Test("device paths (/dev/zero would never end) are refused unread and named")
    func devices() throws {
        let archive = Self.archiveWithGoodLog("devices")
        let (outcome, document) = try Self.scanJSON(["/dev/null", "/dev/zero", archive.root])
        #expect(outcome.status == 3)
        #expect(Self.stat(document, "records") == 1)
        let errors = Self.errors(document)
        for device in ["/dev/null", "/dev/zero"] {
            #expect(errors.contains { $0.path == device && $0.message.contains("not a regular file, folder or FIFO") })
        }
    }

    @Test("a folder walk meets symlink loops and a FIFO: the loop is not followed forever, the FIFO is not opened")
    func walkHazards() throws {
        let archive = Self.archiveWithGoodLog("walk")
        let folder = archive.root + "/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02"
        #expect(symlink("..", folder + "/up") == 0)
        #expect(symlink(archive.root, folder + "/root") == 0)
        #expect(symlink(folder + "/self-b", folder + "/self-a") == 0)
        #expect(symlink(folder + "/self-a", folder + "/self-b") == 0)
        #expect(mkfifo(folder + "/pipe.json.gz", 0o600) == 0)
        let (outcome, document) = try Self.scanJSON([archive.root])
        #expect(Self.stat(document, "records") == 1)
        #expect(Self.stat(document, "files") == 1)
        #expect([0, 1, 3].contains(outcome.status), "\(outcome.standardError)")
    }
}

@Suite("--max-memory: shed per-key detail instead of growing")
struct MemoryBudgetTests {
    @Test("past the budget, keys keep a few more values and sample the rest; the run says so")
    func shedding() throws {
        let archive = ArchiveBuilder(label: "budget")
        for file in 0..<20 {
            let records = (0..<10).map { index in
                RecordBuilder {
                    $0.sourceIPAddress = "198.51.\(file).\(index + 1)"
                    $0.userAgent = "agent-\(file)-\(index)"
                    $0.eventTime = "2026-11-02T10:\(10 + file):0\(index)Z"
                }
            }
            archive.addLog(records, delivered: "2026-11-02T10:\(10 + file):00Z", unique: "F\(file)")
        }
        let exact = try jsonObject(
            try CommandRunner.run(["scan", "--format", "json", "--progress", "never", "--jobs", "1", archive.root])
                .standardOutput)
        let exactKey = try #require((exact["keys"] as? [[String: Any]])?.first)
        #expect((exactKey["sourceIPs"] as? [String: Int])?.count == 200)
        #expect((exact["stats"] as? [String: Any])?["memoryBudget"] == nil)

        // 1 MiB is below any process's resident size: the budget is passed after the first file.
        let outcome = try CommandRunner.run([
            "scan", "--format", "json", "--progress", "never", "--jobs", "1", "--max-memory", "1MiB", "--fail-on",
            "none", archive.root,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let shed = try jsonObject(outcome.standardOutput)
        let budget = try #require((shed["stats"] as? [String: Any])?["memoryBudget"] as? [String: Any])
        #expect((budget["residentBytesWhenPassed"] as? Int ?? 0) > 1 << 20)
        let key = try #require((shed["keys"] as? [[String: Any]])?.first)
        #expect(key["events"] as? Int == 200)
        let ips = try #require(key["sourceIPs"] as? [String: Int])
        #expect(ips.count == 10, "the first file's 10 addresses, then samples in their place: \(ips.count)")
        let truncated = try #require(key["truncated"] as? [String: Any])
        #expect((truncated["sourceIPs"] as? [String: Any])?["otherEvents"] as? Int == 190)
        let text = try CommandRunner.run([
            "scan", "--progress", "never", "--jobs", "1", "--max-memory", "1MiB", archive.root,
        ])
        #expect(text.standardOutput.contains("--max-memory reached"))
    }
}
