import Testing
import TrailIngest
import TrailModel

@Suite("ArchivePath: what CloudTrail's S3 layout and file names say about a file")
struct ArchivePathTests {
    static let name = "111122223333_CloudTrail_eu-west-1_20260801T0935Z_a1B2c3D4e5F6g7H8.json.gz"

    @Test("an organization trail's S3 key: organization, account, region, delivery day and time")
    func organizationLayout() {
        let archive = ArchivePath(
            "/logs/AWSLogs/o-abcd1234ef/111122223333/CloudTrail/eu-west-1/2026/08/01/" + Self.name)
        #expect(archive.organizationId == "o-abcd1234ef")
        #expect(archive.accountId == "111122223333")
        #expect(archive.region == "eu-west-1")
        #expect(archive.logType == .events)
        #expect(archive.deliveryDay == Timestamp.parse("2026-08-01T00:00:00Z"))
        #expect(archive.deliveryTime == Timestamp.parse("2026-08-01T09:35:00Z"))
    }

    @Test("repeated and trailing slashes separate nothing")
    func emptyComponents() {
        let archive = ArchivePath("AWSLogs//111122223333/CloudTrail//us-east-1/2026/08/01//" + Self.name)
        #expect(archive.accountId == "111122223333")
        #expect(archive.region == "us-east-1")
        #expect(archive.deliveryDay == Timestamp.parse("2026-08-01T00:00:00Z"))
    }

    @Test("a combining mark after a slash does not join two folders (paths split on bytes, not characters)")
    func combiningMarkAfterSlash() {
        // As characters, "/" followed by U+0301 is one grapheme cluster, not a separator.
        let archive = ArchivePath("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/08/01/\u{301}copy.json.gz")
        #expect(archive.region == "eu-west-1")
        #expect(archive.deliveryDay == Timestamp.parse("2026-08-01T00:00:00Z"))
        #expect(archive.deliveryTime == nil)
    }

    @Test("digest and insight files are told apart by folder or by name")
    func logTypes() {
        #expect(ArchivePath("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/08/01/x.json.gz").logType == .digest)
        #expect(
            ArchivePath("x/111122223333_CloudTrail-Insight_eu-west-1_20260801T0935Z_a.json.gz").logType == .insight)
        #expect(ArchivePath("exports/2026-08-01.json").logType == .unknown)
    }

    @Test("a name with too few parts, or no account first, gives no account, region or time")
    func unrecognisedNames() {
        for name in ["CloudTrail_eu-west-1_20260801T0935Z.json.gz", "12345_CloudTrail_eu-west-1_20260801T0935Z_a.json"]
        {
            let archive = ArchivePath("exports/" + name)
            #expect(archive.accountId == nil, "\(name)")
            #expect(archive.region == nil, "\(name)")
            #expect(archive.deliveryTime == nil, "\(name)")
        }
    }
}
