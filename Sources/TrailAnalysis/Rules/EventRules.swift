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

    // Rules that look at every record through a cheap test (`UniversalEventRule`: root-activity and
    // credential-scanner-user-agent) are held by ``EventRuleEngine`` as their concrete types, not listed here: a loop
    // over an array of existentials copied every rule for every record.
}
