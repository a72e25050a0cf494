import TrailModel

/// `s3-public-access-block-removed`: Block Public Access deleted, or put with any of its four settings false.
struct S3PublicAccessBlockRemovedRule: EventRule {
    let id = "s3-public-access-block-removed"
    let eventNames = [
        "DeleteBucketPublicAccessBlock", "DeleteAccountPublicAccessBlock", "PutBucketPublicAccessBlock",
        "PutAccountPublicAccessBlock",
    ]

    static let settings = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

    func inspect(_ event: EventView) -> EventMatch? {
        let parameters = event.json(.requestParameters)
        let bucket = RuleSupport.string(parameters?["bucketName"])
        let scope = bucket.map { "bucket \($0)" } ?? "the account"
        let subject = bucket ?? "account"
        if event.field(.eventName, hasPrefix: "Delete") {
            return EventMatch(
                subject: subject, title: "S3 Block Public Access removed for \(scope)",
                evidence: [.init("scope", .string(scope)), RuleSupport.callerEvidence(event)])
        }
        let configuration = parameters?["PublicAccessBlockConfiguration"]
        let disabled = Self.settings.filter { RuleSupport.isFalse(configuration?[$0]) }
        guard !disabled.isEmpty else { return nil }
        return EventMatch(
            subject: subject, title: "S3 Block Public Access weakened for \(scope)",
            evidence: [
                .init("scope", .string(scope)), .init("turnedOff", .array(disabled.map(JSONValue.string))),
                RuleSupport.callerEvidence(event),
            ])
    }
}
