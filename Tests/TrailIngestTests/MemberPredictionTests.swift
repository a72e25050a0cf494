import Foundation
import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

/// The parser compares the name that followed the previous one last time before it scans a name
/// (`MemberPredictions`). A record parsed alone never meets a guess (every slot is read once, before it is learned),
/// so each record parsed on its own is the reference for the same record parsed after others.
@Suite("Member name predictions: records in any order parse as they do alone")
struct MemberPredictionTests {
    /// One member, its name written as it stands in the JSON (escapes included) and its raw value.
    private typealias Member = (name: String, value: String)

    private static func identity(_ index: Int, order: [Int]?) -> String {
        let members: [Member] = [
            ("type", #""AssumedRole""#), ("principalId", #""AROAEXAMPLE:session-\#(index)""#),
            ("arn", #""arn:aws:sts::111122223333:assumed-role/app/session-\#(index)""#),
            ("accountId", #""111122223333""#), ("accessKeyId", #""ASIA\#(String(format: "%016d", index))""#),
            (
                "sessionContext",
                #"{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333","userName":"app"},"attributes":{"creationDate":"2026-11-02T10:00:00Z","mfaAuthenticated":"false"}}"#
            ),
        ]
        return object(members, order: order)
    }

    private static func object(_ members: [Member], order: [Int]?, spaced: Bool = false) -> String {
        let ordered = (order ?? Array(members.indices)).map { members[$0] }
        let separator = spaced ? " : " : ":"
        return "{" + ordered.map { "\"\($0.name)\"\(separator)\($0.value)" }.joined(separator: ",") + "}"
    }

    /// A record in CloudTrail's member order, or in `order`, with `userIdentity` in `identityOrder`.
    private static func record(
        _ index: Int, order: [Int]? = nil, identityOrder: [Int]? = nil, spaced: Bool = false,
        rename: (from: String, to: String)? = nil
    ) -> String {
        var members: [Member] = [
            ("eventVersion", #""1.09""#), ("userIdentity", identity(index, order: identityOrder)),
            ("eventTime", #""2026-11-02T10:\#(String(format: "%02d", index % 60)):00Z""#),
            ("eventSource", #""s3.amazonaws.com""#), ("eventName", #""GetObject""#), ("awsRegion", #""eu-west-1""#),
            ("sourceIPAddress", #""203.0.113.\#(index % 250)""#), ("userAgent", #""aws-cli/2.15.0""#),
            ("requestParameters", #"{"bucketName":"logs","key":"k\#(index)"}"#), ("responseElements", "null"),
            ("requestID", #""REQ\#(index)""#), ("eventID", #""0000-\#(index)""#), ("readOnly", "true"),
            ("eventType", #""AwsApiCall""#), ("managementEvent", "false"), ("recipientAccountId", #""111122223333""#),
            ("eventCategory", #""Data""#), ("tlsDetails", #"{"tlsVersion":"TLSv1.3"}"#),
        ]
        if let rename, let position = members.firstIndex(where: { $0.name == rename.from }) {
            members[position].name = rename.to
        }
        return object(members, order: order, spaced: spaced)
    }

    /// The events of `records` as one document read in chunks of `chunkSize`, and the summary.
    private static func scan(_ records: [String], chunkSize: Int?) -> ([CloudTrailEvent], ScanSummary) {
        scanEvents(#"{"Records":["# + records.joined(separator: ",") + "]}", chunkSize: chunkSize)
    }

    @Test("shuffled, reversed, spaced, renamed and escaped members", arguments: [nil, 1, 7, 64] as [Int?])
    func predictionsChangeNothing(chunkSize: Int?) {
        var generator = SeededGenerator(seed: 11)
        var records: [String] = []
        for index in 0..<8 { records.append(Self.record(index)) }
        records.append(Self.record(8, order: Array((0..<18).reversed())))
        for index in 9..<20 {
            records.append(
                Self.record(
                    index, order: Array(0..<18).shuffled(using: &generator),
                    identityOrder: Array(0..<6).shuffled(using: &generator)))
            records.append(Self.record(index + 100))
        }
        records.append(Self.record(30, spaced: true))
        records.append(Self.record(31))
        // Names of the predicted length that differ in their last byte, or only by an escape.
        records.append(Self.record(32, rename: ("awsRegion", "awsRegioN")))
        records.append(Self.record(33, rename: ("eventSource", #"event\u0053ource"#)))
        records.append(Self.record(34, rename: ("eventName", #"eventNam\u0065"#)))
        records.append(Self.record(35, rename: ("userAgent", "userAgent2")))
        records.append(Self.record(36))

        let (together, summary) = Self.scan(records, chunkSize: chunkSize)
        #expect(summary.error == nil)
        #expect(summary.records == records.count)
        var alone: [CloudTrailEvent] = []
        var invalidAlone = 0
        for record in records {
            let (events, single) = Self.scan([record], chunkSize: nil)
            alone += events
            invalidAlone += single.invalidRecords
        }
        // One invalid record: the escaped event name is not recognised, so the record has none.
        #expect(invalidAlone == 1 && summary.invalidRecords == invalidAlone)
        #expect(together.count == alone.count)
        for (one, other) in zip(together, alone) {
            #expect(one.fields == other.fields)
            #expect(one.eventTime == other.eventTime && one.readOnly == other.readOnly)
        }
        // The renamed members are absent, as unknown names are; the rest were read.
        let renamed = together.filter { $0[.accessKeyId] == "ASIA0000000000000032" }.first
        #expect(renamed?[.awsRegion] == nil && renamed?[.eventName] == "GetObject")
        #expect(together.filter { $0[.accessKeyId] == "ASIA0000000000000033" }.first?[.eventSource] == nil)
        #expect(together.filter { $0[.awsRegion] == "eu-west-1" }.count == together.count - 1)
        #expect(together.allSatisfy { $0[.mfaAuthenticated] == "false" && $0[.sessionIssuerUserName] == "app" })
    }
}
