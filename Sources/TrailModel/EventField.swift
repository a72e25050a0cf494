/// The fields of a CloudTrail record that the scanner extracts from every event without a JSON parser.
///
/// String fields hold the decoded (unescaped) UTF-8 value. The three raw fields (``requestParameters``,
/// ``responseElements``, ``additionalEventData``) hold the JSON text of the member for rules that parse it lazily.
public enum EventField: Int, CaseIterable, Sendable {
    case eventTime
    case eventSource
    case eventName
    case awsRegion
    case sourceIPAddress
    case userAgent
    case errorCode
    case errorMessage
    case eventID
    case eventType
    case recipientAccountId
    case sessionCredentialFromConsole
    /// `userIdentity.type`
    case identityType
    /// `userIdentity.principalId`
    case principalId
    /// `userIdentity.arn`
    case arn
    /// `userIdentity.accountId`
    case accountId
    /// `userIdentity.accessKeyId`
    case accessKeyId
    /// `userIdentity.userName`
    case userName
    /// `userIdentity.invokedBy`
    case invokedBy
    /// `userIdentity.sessionContext.sessionIssuer.type`
    case sessionIssuerType
    /// `userIdentity.sessionContext.sessionIssuer.arn`
    case sessionIssuerArn
    /// `userIdentity.sessionContext.sessionIssuer.userName`
    case sessionIssuerUserName
    /// `userIdentity.sessionContext.attributes.mfaAuthenticated`
    case mfaAuthenticated
    /// `userIdentity.sessionContext.ec2RoleDelivery`
    case ec2RoleDelivery
    /// Raw JSON of `requestParameters` (absent when `null`).
    case requestParameters
    /// Raw JSON of `responseElements` (absent when `null`).
    case responseElements
    /// Raw JSON of `additionalEventData` (absent when `null`).
    case additionalEventData

    /// The number of fields; the size of ``EventView``'s span table.
    public static let count = 27

    /// Whether the field holds raw JSON rather than a decoded string.
    @inlinable
    public var isRawJSON: Bool {
        switch self {
        case .requestParameters, .responseElements, .additionalEventData: return true
        default: return false
        }
    }

    /// The field's path in the CloudTrail record, as users and Sigma rules write it.
    public var path: String {
        switch self {
        case .identityType: return "userIdentity.type"
        case .principalId: return "userIdentity.principalId"
        case .arn: return "userIdentity.arn"
        case .accountId: return "userIdentity.accountId"
        case .accessKeyId: return "userIdentity.accessKeyId"
        case .userName: return "userIdentity.userName"
        case .invokedBy: return "userIdentity.invokedBy"
        case .sessionIssuerType: return "userIdentity.sessionContext.sessionIssuer.type"
        case .sessionIssuerArn: return "userIdentity.sessionContext.sessionIssuer.arn"
        case .sessionIssuerUserName: return "userIdentity.sessionContext.sessionIssuer.userName"
        case .mfaAuthenticated: return "userIdentity.sessionContext.attributes.mfaAuthenticated"
        case .ec2RoleDelivery: return "userIdentity.sessionContext.ec2RoleDelivery"
        default: return String(describing: self)
        }
    }
}
