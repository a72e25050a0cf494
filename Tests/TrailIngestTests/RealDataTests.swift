import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("Real CloudTrail records from public sources")
struct RealDataTests {
    /// The record files (each source folder also has an index.jsonl naming where records came from).
    static var recordFiles: [InputFile] {
        LogSource(paths: [Fixtures.realData]).discover().files.filter { $0.displayPath.hasSuffix(".json.gz") }
    }

    @Test("every record of every file is read, with the exact count per source")
    func everyRecord() {
        var bySource: [String: Int] = [:]
        var invalid = 0
        var valid = 0
        for file in Self.recordFiles {
            let (events, summary) = scanEvents(Fixtures.read(file.displayPath))
            #expect(summary.error == nil, "\(file.displayPath): \(summary.error!)")
            let source = file.displayPath.split(separator: "/").dropLast().last.map(String.init) ?? ""
            bySource[source, default: 0] += summary.records
            invalid += summary.invalidRecords
            valid += events.count
        }
        #expect(
            bySource == [
                "awsdocs-cloudtrail-user-guide": 36, "awsdocs-iam-user-guide": 23, "awsdocs-amazon-s3-userguide": 5,
                "otrf": 206, "trailscraper": 5,
            ])
        // The original OTRF file has no eventTime in any of its 103 records.
        #expect(invalid == 103)
        #expect(valid == 275 - 103)
    }

    @Test("the OTRF file without eventTime reports every record, in one message")
    func otrfWithoutEventTime() {
        let path = Fixtures.realData + "/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json.gz"
        let (events, summary) = scanEvents(Fixtures.read(path))
        #expect(events.isEmpty)
        #expect(summary.records == 103)
        #expect(summary.problems[.missingEventTime]?.count == 103)
        #expect(
            summary.problemMessages == [
                "103 records without eventTime skipped (first: record 1 at byte 12 of the decompressed data)"
            ])
    }

    @Test("field values of a known record: the console sign-in of root without MFA")
    func knownRecord() {
        let path = Fixtures.realData + "/awsdocs-cloudtrail-user-guide/cloudtrail-log-file-examples__00.json.gz"
        let (events, _) = scanEvents(Fixtures.read(path))
        #expect(events.count >= 1)
        #expect(events.allSatisfy { $0[.eventName] != nil && $0[.eventSource] != nil })
    }

    @Test("the trailscraper file named like AWS's: account, region and delivery time from the name")
    func awsFileName() {
        let name = "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz"
        let archive = ArchivePath(Fixtures.realData + "/trailscraper/" + name)
        #expect(archive.accountId == "111111111111")
        #expect(archive.region == "eu-central-1")
        #expect(archive.logType == .events)
        #expect(archive.deliveryTime == Timestamp.parse("2017-12-11T15:05:00Z"))
    }
}
