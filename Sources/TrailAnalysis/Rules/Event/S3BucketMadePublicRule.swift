import TrailModel

/// `s3-bucket-made-public`: public canned ACLs and AllUsers/AuthenticatedUsers grants in `PutBucketAcl`, and
/// bucket policies that allow everyone without a restricting condition in `PutBucketPolicy`.
struct S3BucketMadePublicRule: EventRule {
    let id = "s3-bucket-made-public"
    let eventNames = ["PutBucketAcl", "PutBucketPolicy"]

    static let publicCannedACLs: Set<String> = ["public-read", "public-read-write", "authenticated-read"]
    static let publicGroups = ["/global/AllUsers", "/global/AuthenticatedUsers"]

    func inspect(_ event: EventView) -> EventMatch? {
        guard let parameters = event.json(.requestParameters) else { return nil }
        let bucket = RuleSupport.string(parameters["bucketName"]) ?? "an unnamed bucket"
        if event.field(.eventName, equals: "PutBucketPolicy") {
            return policyMatch(parameters, bucket: bucket, event)
        }
        return aclMatch(parameters, bucket: bucket, event)
    }

    private func aclMatch(_ parameters: JSONValue, bucket: String, _ event: EventView) -> EventMatch? {
        var reasons: [JSONValue] = []
        var writable = false
        for acl in RuleSupport.strings(parameters["x-amz-acl"]) where Self.publicCannedACLs.contains(acl.lowercased()) {
            reasons.append(.string("canned ACL \(acl)"))
            if acl.lowercased() == "public-read-write" { writable = true }
        }
        let grants = parameters["AccessControlPolicy"]?["AccessControlList"]?["Grant"]?.asList ?? []
        for grant in grants {
            guard let uri = grant["Grantee"]?["URI"]?.stringValue, Self.isPublicGroup(uri) else { continue }
            let permission = grant["Permission"]?.stringValue ?? "?"
            reasons.append(.string("\(permission) granted to \(uri)"))
            if ["WRITE", "WRITE_ACP", "FULL_CONTROL"].contains(permission) { writable = true }
        }
        for header in [
            "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
            "x-amz-grant-full-control",
        ] {
            for value in RuleSupport.strings(parameters[header]) where Self.isPublicGroup(value) {
                reasons.append(.string("\(header): \(value)"))
                if !header.hasSuffix("-read") && !header.hasSuffix("-read-acp") { writable = true }
            }
        }
        guard !reasons.isEmpty else { return nil }
        return EventMatch(
            subject: bucket, title: "S3 bucket \(bucket) made \(writable ? "publicly writable" : "public") by its ACL",
            severity: writable ? .critical : nil,
            evidence: [
                .init("bucket", .string(bucket)), .init("grants", .array(reasons)),
                RuleSupport.callerEvidence(event),
            ])
    }

    private func policyMatch(_ parameters: JSONValue, bucket: String, _ event: EventView) -> EventMatch? {
        var open: [JSONValue] = []
        var writable = false
        for statement in RuleSupport.statements(of: parameters["bucketPolicy"] ?? parameters["policy"]) {
            guard RuleSupport.allows(statement), RuleSupport.awsPrincipals(statement).contains("*"),
                !RuleSupport.hasRestrictingCondition(statement)
            else { continue }
            let actions = RuleSupport.strings(statement["Action"])
            open.append(.object([.init("actions", .array(actions.map(JSONValue.string)))]))
            if actions.contains(where: { action in
                let lowered = action.lowercased()
                return lowered == "*" || lowered == "s3:*" || lowered.hasPrefix("s3:put")
                    || lowered.hasPrefix("s3:delete")
            }) {
                writable = true
            }
        }
        guard !open.isEmpty else { return nil }
        return EventMatch(
            subject: bucket,
            title: "S3 bucket \(bucket) opened to everyone by its policy\(writable ? ", including writes" : "")",
            severity: writable ? .critical : nil,
            evidence: [
                .init("bucket", .string(bucket)), .init("publicStatements", .array(open)),
                RuleSupport.callerEvidence(event),
            ])
    }

    static func isPublicGroup(_ text: String) -> Bool { publicGroups.contains { text.contains($0) } }
}
