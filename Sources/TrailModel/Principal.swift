/// The identity that signed a request: `userIdentity` reduced to what identifies an owner of a key.
///
/// For temporary credentials of an assumed role, ``sessionIssuerArn`` names the role whose session it is.
public struct Principal: Sendable, Hashable, Comparable {
    /// `userIdentity.type`: `IAMUser`, `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, ….
    public var type: String?
    /// `userIdentity.arn`.
    public var arn: String?
    /// `userIdentity.userName` (IAM users and root only).
    public var userName: String?
    /// `userIdentity.accountId`: the account that owns the credential.
    public var accountId: String?
    /// `userIdentity.sessionContext.sessionIssuer.arn`: the role or user that issued a temporary session.
    public var sessionIssuerArn: String?

    /// Creates a principal; every part is optional because CloudTrail omits parts by identity type.
    public init(
        type: String? = nil, arn: String? = nil, userName: String? = nil, accountId: String? = nil,
        sessionIssuerArn: String? = nil
    ) {
        self.type = type
        self.arn = arn
        self.userName = userName
        self.accountId = accountId
        self.sessionIssuerArn = sessionIssuerArn
    }

    /// A short human label: the user name, the role session, or the ARN.
    public var displayName: String {
        if let userName, !userName.isEmpty { return userName }
        if let arn, let slash = arn.firstIndex(of: "/") { return String(arn[arn.index(after: slash)...]) }
        if type == "Root" { return "root" }
        return arn ?? type ?? "unknown"
    }

    /// A total order used to pick one principal deterministically when several are seen at the same instant:
    /// by ARN, type, user name, account and issuer, absent parts first, each in UTF-8 byte order.
    public static func < (lhs: Principal, rhs: Principal) -> Bool {
        let l = [lhs.arn, lhs.type, lhs.userName, lhs.accountId, lhs.sessionIssuerArn]
        let r = [rhs.arn, rhs.type, rhs.userName, rhs.accountId, rhs.sessionIssuerArn]
        for (a, b) in zip(l, r) where a != b {
            guard let a else { return true }
            guard let b else { return false }
            return a < b
        }
        return false
    }
}

extension Principal {
    /// The principal that made the call in `event` (`userIdentity`), as findings report it.
    public init(of event: EventView) {
        self.init(
            type: event.string(.identityType), arn: event.string(.arn), userName: event.string(.userName),
            accountId: event.string(.accountId), sessionIssuerArn: event.string(.sessionIssuerArn))
    }
}
