import TrailModel

/// Reading the shapes CloudTrail uses in request parameters.
enum RuleSupport {
    /// The strings of a value that is a string or an array of strings (S3 writes headers as one-element arrays).
    static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        return value.asList.compactMap(\.stringValue)
    }

    /// The first string of a string-or-array value.
    static func string(_ value: JSONValue?) -> String? { strings(value).first }

    /// Whether a value is `false` (a JSON boolean or the string `"false"`).
    static func isFalse(_ value: JSONValue?) -> Bool { value?.boolValue == false }

    /// The statements of an IAM policy given as an object or as JSON text.
    static func statements(of policy: JSONValue?) -> [JSONValue] {
        guard let policy = policy?.decodingEmbeddedJSON else { return [] }
        return policy["Statement"]?.asList ?? []
    }

    /// Whether a statement allows.
    static func allows(_ statement: JSONValue) -> Bool { statement["Effect"]?.stringValue?.lowercased() == "allow" }

    /// The values of a policy principal's `AWS` entry, or `*` for a bare wildcard principal.
    static func awsPrincipals(_ statement: JSONValue) -> [String] {
        guard let principal = statement["Principal"] else { return [] }
        if principal.stringValue == "*" { return ["*"] }
        return strings(principal["AWS"])
    }

    /// Condition keys that limit who or where a wildcard principal really is; a statement with any of them is not
    /// open to everyone.
    static let restrictingConditionKeys: Set<String> = [
        "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:principalorgid", "aws:principalorgpaths",
        "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:userid",
        "aws:username", "aws:resourceorgid", "aws:sourceorgid", "aws:sourceorgpaths", "aws:calledvia",
        "aws:principalservicename", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ]

    /// Whether a statement's `Condition` restricts it (see ``restrictingConditionKeys``).
    static func hasRestrictingCondition(_ statement: JSONValue) -> Bool {
        guard let operators = statement["Condition"]?.objectMembers else { return false }
        for member in operators {
            for key in member.value.objectMembers ?? [] where restrictingConditionKeys.contains(key.key.lowercased()) {
                return true
            }
        }
        return false
    }

    /// A 12-digit account id in a principal value: `123456789012`, `arn:aws:iam::123456789012:root`, ….
    static func accountID(inPrincipal value: String) -> String? {
        if value.count == 12 && value.allSatisfy(\.isNumber) { return value }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 5, parts[0] == "arn", parts[4].count == 12, parts[4].allSatisfy(\.isNumber) {
            return String(parts[4])
        }
        return nil
    }

    /// Who called: the principal's ARN, else its type.
    static func caller(_ event: EventView) -> String {
        event.string(.arn) ?? event.string(.identityType) ?? "an unknown principal"
    }

    /// The caller's ARN as evidence.
    static func callerEvidence(_ event: EventView) -> JSONValue.Member {
        JSONValue.Member("caller", .string(caller(event)))
    }
}
