import TrailModel

/// Builds CloudTrail records shaped like AWS's documented record format, for tests.
///
/// Defaults describe an IAM user calling `s3:ListBuckets` with a long-term key; tests change what they assert on.
public struct RecordBuilder: Sendable {
    public var eventVersion = "1.09"
    public var eventTime = "2026-11-02T10:15:00Z"
    public var eventSource = "s3.amazonaws.com"
    public var eventName = "ListBuckets"
    public var awsRegion = "us-east-1"
    public var sourceIPAddress = "203.0.113.10"
    public var userAgent = "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0 exe/x86_64 prompt/off command/s3.ls"
    public var identityType = "IAMUser"
    public var principalId: String? = "AIDAJQABLZS4A3QDU576Q"
    public var arn: String? = "arn:aws:iam::111122223333:user/alice"
    public var accountId = "111122223333"
    public var accessKeyId: String? = "AKIAIOSFODNN7EXAMPLE"
    public var userName: String? = "alice"
    public var invokedBy: String?
    public var sessionIssuer: (type: String, arn: String, userName: String)?
    public var mfaAuthenticated: String?
    public var ec2RoleDelivery: String?
    public var sessionCredentialFromConsole: String?
    public var errorCode: String?
    public var errorMessage: String?
    /// Raw JSON; nil writes `null`.
    public var requestParameters: String?
    /// Raw JSON; nil writes `null`.
    public var responseElements: String?
    /// Raw JSON; nil omits the member.
    public var additionalEventData: String?
    public var readOnly: Bool? = true
    public var eventType = "AwsApiCall"
    public var eventID = "3d8d2f6a-5a2b-4d1e-9c1a-0f7e2b6c9a10"
    public var recipientAccountId = "111122223333"

    /// A record with the defaults.
    public init() {}

    /// A record with the defaults, changed by `configure`.
    public init(_ configure: (inout RecordBuilder) -> Void) {
        configure(&self)
    }

    /// The record as compact JSON, members in CloudTrail's order.
    public var json: String {
        let writer = JSONWriter()
        write(into: writer)
        return writer.text
    }

    /// Writes the record as one JSON object.
    public func write(into writer: JSONWriter) {
        writer.beginObject()
        writer.field("eventVersion", eventVersion)
        writer.key("userIdentity")
        writer.beginObject()
        writer.field("type", identityType)
        writer.field("principalId", principalId, omitNil: true)
        writer.field("arn", arn, omitNil: true)
        writer.field("accountId", accountId)
        writer.field("accessKeyId", accessKeyId, omitNil: true)
        writer.field("userName", userName, omitNil: true)
        if sessionIssuer != nil || mfaAuthenticated != nil || ec2RoleDelivery != nil {
            writer.key("sessionContext")
            writer.beginObject()
            if let sessionIssuer {
                writer.key("sessionIssuer")
                writer.beginObject()
                writer.field("type", sessionIssuer.type)
                writer.field("principalId", "AROAEXAMPLEID")
                writer.field("arn", sessionIssuer.arn)
                writer.field("accountId", accountId)
                writer.field("userName", sessionIssuer.userName)
                writer.endObject()
            }
            writer.key("attributes")
            writer.beginObject()
            writer.field("creationDate", "2026-11-02T09:00:00Z")
            writer.field("mfaAuthenticated", mfaAuthenticated ?? "false")
            writer.endObject()
            writer.field("ec2RoleDelivery", ec2RoleDelivery, omitNil: true)
            writer.endObject()
        }
        writer.field("invokedBy", invokedBy, omitNil: true)
        writer.endObject()
        writer.field("eventTime", eventTime)
        writer.field("eventSource", eventSource)
        writer.field("eventName", eventName)
        writer.field("awsRegion", awsRegion)
        writer.field("sourceIPAddress", sourceIPAddress)
        writer.field("userAgent", userAgent)
        writer.field("errorCode", errorCode, omitNil: true)
        writer.field("errorMessage", errorMessage, omitNil: true)
        writer.key("requestParameters")
        if let requestParameters { writer.rawValue(requestParameters) } else { writer.null() }
        writer.key("responseElements")
        if let responseElements { writer.rawValue(responseElements) } else { writer.null() }
        if let additionalEventData {
            writer.key("additionalEventData")
            writer.rawValue(additionalEventData)
        }
        writer.field("requestID", "EXAMPLE8A3F6C2D1B")
        writer.field("eventID", eventID)
        if let readOnly { writer.field("readOnly", readOnly) }
        writer.field("eventType", eventType)
        writer.field("managementEvent", true)
        writer.field("recipientAccountId", recipientAccountId)
        writer.field("eventCategory", "Management")
        if let sessionCredentialFromConsole {
            writer.field("sessionCredentialFromConsole", sessionCredentialFromConsole)
        }
        writer.endObject()
    }

    /// Makes the record a call by the account's root user (no user name; the account id as principal).
    public mutating func asRoot() {
        identityType = "Root"
        arn = "arn:aws:iam::\(accountId):root"
        userName = nil
        principalId = accountId
    }

    /// A `{"Records":[...]}` document of `records`.
    public static func document(_ records: [RecordBuilder]) -> String {
        "{\"Records\":[" + records.map(\.json).joined(separator: ",") + "]}"
    }

    /// JSON lines of `records`.
    public static func lines(_ records: [RecordBuilder]) -> String {
        records.map { $0.json + "\n" }.joined()
    }
}
