import Testing
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("RecordScanner: fields and framing")
struct RecordScannerTests {
    @Test("extracts every field of an assumed-role record")
    func extractsFields() {
        let record = RecordBuilder {
            $0.identityType = "AssumedRole"
            $0.arn = "arn:aws:sts::111122223333:assumed-role/deploy/ci-session"
            $0.accessKeyId = "ASIAY34FZKBOKMUTVV7A"
            $0.userName = nil
            $0.sessionIssuer = ("Role", "arn:aws:iam::111122223333:role/deploy", "deploy")
            $0.mfaAuthenticated = "true"
            $0.ec2RoleDelivery = "2.0"
            $0.errorCode = "AccessDenied"
            $0.errorMessage = "User is not authorized"
            $0.requestParameters = #"{"bucketName":"logs","acl":["public-read"]}"#
            $0.responseElements = #"{"x-amz-id":"abc"}"#
            $0.additionalEventData = #"{"SignatureVersion":"SigV4"}"#
            $0.invokedBy = "cloudformation.amazonaws.com"
            $0.sessionCredentialFromConsole = "true"
            $0.readOnly = false
        }
        let (events, summary) = scanEvents(RecordBuilder.document([record]))
        #expect(summary.error == nil)
        #expect(summary.records == 1)
        let event = try! #require(events.first)
        #expect(event[.eventTime] == "2026-11-02T10:15:00Z")
        #expect(event.eventTime == Timestamp.parse("2026-11-02T10:15:00Z"))
        #expect(event[.eventSource] == "s3.amazonaws.com")
        #expect(event[.eventName] == "ListBuckets")
        #expect(event[.awsRegion] == "us-east-1")
        #expect(event[.sourceIPAddress] == "203.0.113.10")
        #expect(event[.identityType] == "AssumedRole")
        #expect(event[.accessKeyId] == "ASIAY34FZKBOKMUTVV7A")
        #expect(event[.userName] == nil)
        #expect(event[.sessionIssuerType] == "Role")
        #expect(event[.sessionIssuerArn] == "arn:aws:iam::111122223333:role/deploy")
        #expect(event[.sessionIssuerUserName] == "deploy")
        #expect(event[.mfaAuthenticated] == "true")
        #expect(event[.ec2RoleDelivery] == "2.0")
        #expect(event[.invokedBy] == "cloudformation.amazonaws.com")
        #expect(event[.errorCode] == "AccessDenied")
        #expect(event[.errorMessage] == "User is not authorized")
        #expect(event[.requestParameters] == #"{"bucketName":"logs","acl":["public-read"]}"#)
        #expect(event[.responseElements] == #"{"x-amz-id":"abc"}"#)
        #expect(event[.additionalEventData] == #"{"SignatureVersion":"SigV4"}"#)
        #expect(event[.sessionCredentialFromConsole] == "true")
        #expect(event[.recipientAccountId] == "111122223333")
        #expect(event[.eventType] == "AwsApiCall")
        #expect(event.readOnly == false)
    }

    @Test("null requestParameters and responseElements are absent")
    func nullRawFields() {
        let (events, _) = scanEvents(RecordBuilder.document([RecordBuilder()]))
        #expect(events.count == 1)
        #expect(events[0][.requestParameters] == nil)
        #expect(events[0][.responseElements] == nil)
    }

    @Test(
        "readOnly as a boolean or as the strings true/True/false",
        arguments: [
            ("true", true), ("false", false), ("\"true\"", true), ("\"True\"", true), ("\"false\"", false),
            ("null", nil), ("\"maybe\"", nil),
        ] as [(String, Bool?)])
    func readOnlyForms(text: String, expected: Bool?) {
        let json =
            #"{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eventName":"X","readOnly":"#
            + text + "}]}"
        let (events, summary) = scanEvents(json)
        #expect(summary.records == 1)
        #expect(events.first?.readOnly == expected)
    }

    @Test("escaped strings are decoded, surrogate pairs included")
    func escapes() {
        let json =
            #"{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eventName":"Get\u004fbject","#
            + #""userAgent":"a\"b\\c\/d\n\t \u00e9 \ud83d\ude00 \ud800x","eventSource":"s3.amazonaws.com"}]}"#
        let (events, summary) = scanEvents(json)
        #expect(summary.error == nil)
        #expect(events.first?[.eventName] == "GetObject")
        #expect(events.first?[.userAgent] == "a\"b\\c/d\n\t \u{e9} \u{1F600} \u{FFFD}x")
        #expect(events.first?[.eventSource] == "s3.amazonaws.com")
    }

    @Test("members in any order, whitespace anywhere, unknown members of every type skipped")
    func layout() {
        let json = """
            \u{FEFF}{ "Records" : [
              { "resources" : [ { "ARN" : "arn:aws:s3:::b" , "n" : [1, -2.5e3, true, false, null] } ] ,
                "eventName" : "PutObject" , "tlsDetails" : { "tlsVersion" : "TLSv1.3" } ,
                "userIdentity" : { "sessionContext" : { "attributes" : { "mfaAuthenticated" : "false" } } ,
                                   "accessKeyId" : "AKIAEXAMPLE1" , "type" : "IAMUser" } ,
                "eventTime" : "2026-01-01T00:00:00.123Z" } ,
              {"eventTime":"2026-01-01T00:00:01+02:00","eventName":"B"}
            ] }
            """
        let (events, summary) = scanEvents(json)
        #expect(summary.error == nil)
        #expect(summary.records == 2)
        #expect(events.map { $0[.eventName] } == ["PutObject", "B"])
        #expect(events[0][.accessKeyId] == "AKIAEXAMPLE1")
        #expect(events[0][.mfaAuthenticated] == "false")
        #expect(events[0].eventTime == Timestamp.parse("2026-01-01T00:00:00Z"))
        #expect(events[1].eventTime == Timestamp.parse("2025-12-31T22:00:01Z"))
    }

    @Test("records split across chunk boundaries anywhere give the same events", arguments: [1, 7, 4096])
    func chunkBoundaries(chunkSize: Int) {
        let records = (0..<40).map { index in
            RecordBuilder {
                $0.eventName = "Call\(index)"
                $0.userAgent = String(repeating: "ua-\(index) ", count: index * 7)
                $0.requestParameters = #"{"k":"\#(String(repeating: "\\u00e9\\\"", count: index))"}"#
            }
        }
        let document = Array(RecordBuilder.document(records).utf8)
        let whole = scanEvents(document)
        let chunked = scanEvents(document, chunkSize: chunkSize)
        let gzipped = scanEvents(Gzip.compress(document), chunkSize: chunkSize)
        #expect(whole.events.count == 40)
        #expect(chunked.events == whole.events)
        #expect(gzipped.events == whole.events)
        #expect(chunked.summary == whole.summary)
    }

    @Test("JSON lines: one event per line, CloudWatch timestamps skipped, a bad line skipped and counted")
    func jsonLines() {
        let a = RecordBuilder { $0.eventName = "A" }.json
        let b = RecordBuilder { $0.eventName = "B" }.json
        let c = RecordBuilder { $0.eventName = "C" }.json
        let text = "\(a)\n\n2026-11-02T10:15:00.000Z \(b)\nnot json at all\n\(c)\n"
        let (events, summary) = scanEvents(text, format: .lines)
        #expect(events.map { $0[.eventName] } == ["A", "B", "C"])
        #expect(summary.records == 4)
        #expect(summary.invalidRecords == 1)
        #expect(summary.problems[.malformedLine]?.count == 1)
        #expect(summary.error == nil)
    }

    @Test("a stream of event objects in a .json file is read as events")
    func eventStreamInDocument() {
        let text = RecordBuilder { $0.eventName = "A" }.json + "\n" + RecordBuilder { $0.eventName = "B" }.json
        let (events, summary) = scanEvents(text, format: .document)
        #expect(summary.error == nil)
        #expect(events.map { $0[.eventName] } == ["A", "B"])
    }

    @Test("several Records documents and members after Records in one stream")
    func severalDocuments() {
        let one = RecordBuilder.document([RecordBuilder { $0.eventName = "A" }])
        let two =
            #"{"Records":[],"note":{"x":[1,2]},"Records":["#
            + RecordBuilder { $0.eventName = "B" }.json + "]}"
        let (events, summary) = scanEvents(one + "\n" + two)
        #expect(summary.error == nil)
        #expect(events.map { $0[.eventName] } == ["A", "B"])
    }
}
