/// The built-in event rules.
public enum EventRules {
    /// Rules called for their event names.
    static let indexed: [any EventRule] = [
        S3BucketMadePublicRule(), S3PublicAccessBlockRemovedRule(), CloudTrailLoggingDisabledRule(),
        CloudTrailEventSelectorsReducedRule(), AccessKeyCreatedForOtherUserRule(),
        LoginProfileChangedForOtherUserRule(),
        AdminPolicyAttachedRule(), MFADeviceDeactivatedRule(), ConsoleLoginWithoutMFARule(), GuardDutyDisabledRule(),
        ConfigRecorderStoppedRule(), VPCFlowLogsDeletedRule(), DNSQueryLoggingDeletedRule(), SnapshotSharedRule(),
        ImageSharedRule(), SecurityGroupOpenToWorldRule(), CompromisedKeyQuarantinePolicyRule(),
        RoleTrustExternalAccountRule(), FederationTokenCreatedRule(), OrganizationLeftRule(),
    ]

    /// Rules that look at every record through a cheap test. ``EventRuleEngine`` holds each as its concrete type
    /// (an array of existentials copied every rule for every record); a new one is added there too.
    static let universal: [any UniversalEventRule] = [RootActivityRule(), CredentialScannerUserAgentRule()]
}
