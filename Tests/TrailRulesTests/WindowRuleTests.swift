import Testing
import TrailAnalysis
import TrailModel
import TrailTestSupport

@Suite("Windowed rules: per principal, within a window")
struct WindowRuleTests {
    static func denied(_ count: Int, every seconds: Int, from start: Int64 = 1_795_000_000) -> [RecordBuilder] {
        (0..<count).map { index in
            RecordBuilder {
                $0.eventTime = Timestamp.format(start + Int64(index * seconds))
                $0.eventName = ["ListUsers", "ListRoles", "DescribeInstances"][index % 3]
                $0.errorCode = index % 2 == 0 ? "AccessDenied" : "Client.UnauthorizedOperation"
                $0.eventID = "denied-\(index)"
            }
        }
    }

    @Test(
        "20 access-denied errors in 10 minutes fire; 19 do not; the same 20 over an hour do not",
        arguments: [
            (20, 15, true), (19, 15, false), (20, 180, false), (25, 1, true),
        ])
    func deniedBurst(count: Int, spacing: Int, fires: Bool) {
        let found = findings(of: "access-denied-burst", Self.denied(count, every: spacing))
        #expect(found.count == (fires ? 1 : 0))
        if fires {
            #expect(found[0].eventCount == count)
            #expect(found[0].principal?.userName == "alice")
            #expect(found[0].evidence["peakInWindow"]?.integerValue == Int64(count))
        }
    }

    @Test("a long storm is one finding, not one per window")
    func longStorm() {
        let found = findings(of: "access-denied-burst", Self.denied(300, every: 10))
        #expect(found.count == 1)
        #expect(found.first?.eventCount == 300)
        #expect(found.first?.eventIds.count == Finding.eventIDLimit)
    }

    @Test("other errors and other principals do not add up")
    func otherErrorsAndPrincipals() {
        var records = Self.denied(12, every: 10)
        records += (0..<12).map { index in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index * 10))
                $0.errorCode = "ThrottlingException"
            }
        }
        records += (0..<12).map { index in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index * 10))
                $0.errorCode = "AccessDenied"
                $0.arn = "arn:aws:iam::111122223333:user/mallory"
                $0.userName = "mallory"
            }
        }
        #expect(findings(of: "access-denied-burst", records).isEmpty)
    }

    static func secretReads(_ secrets: [String], batch: Int = 0) -> [RecordBuilder] {
        var records = secrets.enumerated().map { index, secret in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index * 20))
                $0.eventSource = "secretsmanager.amazonaws.com"
                $0.eventName = "GetSecretValue"
                $0.requestParameters = #"{"secretId":"\#(secret)"}"#
            }
        }
        records += (0..<batch).map { index in
            RecordBuilder {
                $0.eventTime = Timestamp.format(1_795_000_000 + Int64(index * 60))
                $0.eventSource = "secretsmanager.amazonaws.com"
                $0.eventName = "BatchGetSecretValue"
                $0.requestParameters = #"{"filters":[{"key":"tag-key","values":["!"]}]}"#
            }
        }
        return records
    }

    @Test(
        "secrets read in bulk",
        arguments: [
            ((0..<10).map { "prod/db-\($0)" }, 0, true), ((0..<9).map { "prod/db-\($0)" }, 0, false),
            (Array(repeating: "prod/db", count: 30), 0, false), ([], 3, true), ([], 2, false),
        ] as [([String], Int, Bool)])
    func secretsBulkRead(secrets: [String], batch: Int, fires: Bool) {
        let found = findings(of: "secrets-bulk-read", Self.secretReads(secrets, batch: batch))
        #expect(found.count == (fires ? 1 : 0))
    }
}
