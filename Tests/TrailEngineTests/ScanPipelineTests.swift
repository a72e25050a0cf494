import Testing
import TrailEngine
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("ScanPipeline: discovery, workers, merge")
struct ScanPipelineTests {
    /// An archive of 12 files over 6 days, 2 regions, 7 keys.
    static func archive() -> ArchiveBuilder {
        let archive = ArchiveBuilder()
        for day in 1...6 {
            for region in ["us-east-1", "eu-west-1"] {
                let records = (0..<40).map { index in
                    RecordBuilder {
                        $0.eventTime = "2026-11-0\(day)T\(10 + index % 10):\(10 + index):00Z"
                        $0.accessKeyId = "AKIATESTKEY0000000\(index % 7)"
                        $0.userName = "user\(index % 7)"
                        $0.awsRegion = region
                        $0.sourceIPAddress = "203.0.113.\(index % 5 + day)"
                        $0.eventName = ["GetObject", "ListBuckets", "PutObject"][index % 3]
                    }
                }
                archive.addLog(records, region: region, delivered: "2026-11-0\(day)T23:55:00Z")
            }
        }
        return archive
    }

    @Test("the JSON document is byte-identical for any number of workers")
    func jobsDoNotChangeOutput() async {
        let archive = Self.archive()
        var documents: [[UInt8]] = []
        for jobs in [1, 2, 3, 5] {
            let result = await ScanPipeline(options: ScanOptions(paths: [archive.root], jobs: jobs)).run()
            documents.append(ScanJSONRenderer.render(result))
            #expect(result.stats.files == 12)
            #expect(result.stats.records == 480)
            #expect(result.keys.count == 7)
        }
        #expect(Set(documents).count == 1)
    }

    @Test("streamed inputs, whole or stopped early, give the same document whether or not a spare core reads ahead")
    func readAheadDoesNotChangeOutput() async {
        let archive = Self.archive()
        let records = (0..<3_000).map { index in
            RecordBuilder {
                $0.accessKeyId = "AKIASTREAMKEY00000\(index % 40 + 10)"
                $0.eventName = "Call\(index % 17)"
            }
        }
        // Plain JSON is always streamed; so is gzip that libdeflate declines (here, damaged past its first half).
        archive.addFile("extra/plain.json", Array(RecordBuilder.document(records).utf8))
        let cut = Array(RecordBuilder.document(records).utf8)
        archive.addFile("extra/malformed.json", Array(cut.prefix(cut.count / 2)) + Array("}}garbage".utf8))
        var damaged = Gzip.compress(RecordBuilder.document(records), level: 1)
        for index in (damaged.count * 2 / 3)..<(damaged.count * 2 / 3 + 50) { damaged[index] ^= 0x3C }
        archive.addFile("extra/damaged.json.gz", damaged)
        var documents: [[UInt8]] = []
        // 32 jobs leave 17 cores spare for the 15 files' streams from the start; 2 jobs, once a worker runs out.
        for jobs in [1, 2, 32] {
            let result = await ScanPipeline(options: ScanOptions(paths: [archive.root], jobs: jobs)).run()
            documents.append(ScanJSONRenderer.render(result))
            #expect(result.stats.files == 15)
            #expect(result.stats.errors.count == 2)
            #expect(result.stats.records > 480 + 3_000 + 1_000)
        }
        #expect(Set(documents).count == 1)
    }

    @Test("--since/--until prune files by path without opening them, and filter events by eventTime")
    func timeRange() async {
        let archive = Self.archive()
        // A corrupt file delivered on Nov 20: opening it would be an error, so the test proves it was pruned.
        archive.addFile(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T2355Z_BAD.json.gz",
            [0x1F, 0x8B, 0x08, 0x00, 0xDE, 0xAD])
        let range = TimeRange(
            since: Timestamp.parse("2026-11-03T00:00:00Z"), until: Timestamp.parse("2026-11-04T12:00:00Z"))
        let result = await ScanPipeline(options: ScanOptions(paths: [archive.root], timeRange: range, jobs: 2)).run()
        #expect(result.stats.errors.isEmpty)
        // A file delivered at D 23:55 can hold events from a day before to an hour after. Nov 2's (events from
        // Nov 1 23:55 to Nov 3 00:55) reaches into the range; Nov 5's (from Nov 4 23:55) starts after --until.
        #expect(result.stats.prunedFiles == 7)
        #expect(result.stats.files == 6)
        // Nov 3: all 80 events; Nov 4: the 16 before noon (hours 10 and 11); Nov 2: none.
        let counted = result.keys.reduce(0) { $0 + $1.events }
        #expect(counted == 80 + 16)
        #expect(result.stats.recordsOutsideRange == 6 * 40 - counted)
        #expect(result.keys.allSatisfy { range.contains($0.firstSeen) && range.contains($0.lastSeen) })
    }

    @Test("bad inputs are named with a reason and the good ones are still read")
    func badInputsDoNotStopTheScan() async {
        let archive = Self.archive()
        let truncated = archive.addFile(
            "extra/truncated.json.gz", Array(Gzip.compress(RecordBuilder.document([RecordBuilder()])).prefix(30)))
        let text = archive.addFile("extra/notes.json", Array("these are my notes".utf8))
        let result = await ScanPipeline(
            options: ScanOptions(paths: [archive.root, archive.root + "/missing-folder"], jobs: 2)
        ).run()
        #expect(result.stats.files == 14)
        #expect(result.stats.records == 480)
        let paths = result.stats.errors.map(\.path)
        #expect(paths == [archive.root + "/missing-folder", truncated, text].sorted())
        #expect(result.stats.errors.first { $0.path == truncated }?.message.contains("truncated gzip") == true)
        #expect(result.stats.errors.first { $0.path == text }?.message.contains("not JSON") == true)
        #expect(result.hasInputErrors)
    }

    @Test("digest and Insights files are skipped and counted; other files in folders are ignored and counted")
    func skippedAndIgnored() async {
        let archive = Self.archive()
        archive.addFile(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/06/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261106T235500Z.json.gz",
            Gzip.compress(#"{"awsAccountId":"111122223333","logFiles":[]}"#))
        archive.addFile(
            "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/06/111122223333_CloudTrail-Insight_us-east-1_20261106T2355Z_X.json.gz",
            Gzip.compress(#"{"Records":[]}"#))
        archive.addFile("credential-report.csv", Array("user,arn\n".utf8))
        let result = await ScanPipeline(options: ScanOptions(paths: [archive.root])).run()
        #expect(result.stats.skippedFiles == 2)
        #expect(result.stats.ignoredFiles == 1)
        #expect(result.stats.files == 12)
        #expect(result.stats.errors.isEmpty)
    }

    @Test("asOf is the newest event unless given")
    func asOf() async {
        let archive = Self.archive()
        let result = await ScanPipeline(options: ScanOptions(paths: [archive.root])).run()
        #expect(Timestamp.format(result.asOf) == "2026-11-06T19:49:00Z")
        #expect(result.asOfFromData)
        let given = await ScanPipeline(options: ScanOptions(paths: [archive.root])).run(asOf: 2_000_000_000)
        #expect(given.asOf == 2_000_000_000)
        #expect(!given.asOfFromData)
    }
}
