import TrailModel

/// Every built-in rule: the single list that `keytrail rules list`, findings and configuration checks read.
public enum RuleCatalog {
    private static let accessKeysGuide =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"
    private static let bestPractices = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
    private static let rootGuide = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html"
    private static let cloudTrailGuide =
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html"

    /// All built-in rules, key rules first.
    public static let all: [RuleDescriptor] = keyRules + eventRules + windowRules

    /// The descriptor of `id`, if it is a built-in rule.
    public static func descriptor(_ id: String) -> RuleDescriptor? { byID[id] }

    private static let byID: [String: RuleDescriptor] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    static let keyRules: [RuleDescriptor] = [
        RuleDescriptor(
            id: "unused-access-key", kind: .key, severity: .medium,
            summary: "An active access key with no use in the last N days (90; 45 with --profile cis), or never used.",
            remediation: "Deactivate the key now and delete it after a waiting period if nothing breaks; unused keys "
                + "are pure risk.",
            references: [accessKeysGuide + "#Using_RotateAccessKey", bestPractices + "#remove-credentials"],
            attack: ["T1078.004"]),
        RuleDescriptor(
            id: "access-key-not-rotated", kind: .key, severity: .medium,
            summary: "An active access key created or last rotated more than N days ago (90).",
            remediation: "Create a second key, move its users to it, deactivate then delete the old one — or better, "
                + "replace the long-term key with a role.",
            references: [accessKeysGuide + "#rotating_access_keys_console"], attack: ["T1078.004"]),
        RuleDescriptor(
            id: "multiple-active-keys", kind: .key, severity: .low,
            summary: "A user with two active access keys (outside a rotation in progress).",
            remediation: "Finish the rotation: keep the key in use, deactivate and delete the other.",
            references: [accessKeysGuide], attack: ["T1098.001"]),
        RuleDescriptor(
            id: "root-access-key", kind: .key, severity: .critical,
            summary: "The root user has an active access key, created one, or signed calls with one.",
            remediation: "Delete the root user's access keys; use IAM roles or users with least privilege, and keep "
                + "root for the few tasks that need it, with MFA.",
            references: [rootGuide + "#id_root-user_manage_delete-key", bestPractices + "#lock-away-credentials"],
            attack: ["T1078.004"]),
        RuleDescriptor(
            id: "long-term-key-workload", kind: .key, severity: .medium,
            summary: "A long-term AKIA key used the way a workload uses credentials (from AWS compute, CI/IaC tools, "
                + "around the clock, server SDKs, many networks), where a role would fit.",
            remediation: "Give the workload a role instead: an instance profile or task role on AWS compute, OIDC "
                + "federation for CI, IAM Roles Anywhere elsewhere; then delete the key.",
            references: [
                bestPractices + "#bp-workloads-use-roles",
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html",
                "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/introduction.html",
            ], attack: ["T1078.004"]),
        RuleDescriptor(
            id: "long-term-key-many-networks", kind: .key, severity: .high,
            summary: "One long-term key used from more distinct /24 (IPv4) or /48 (IPv6) networks in a day than a "
                + "threshold (5): shared or leaked.",
            remediation: "Find every place the key is used; if any is unknown, deactivate the key and investigate. "
                + "Replace shared keys with per-workload roles.",
            references: [accessKeysGuide], attack: ["T1078.004"]),
        RuleDescriptor(
            id: "access-key-used-after-deactivation", kind: .key, severity: .high,
            summary: "A successful call signed by a key after it was deactivated or deleted.",
            remediation: "Check who reactivated the key or whether the calls came from cached credentials; treat the "
                + "key as compromised until explained.",
            references: [accessKeysGuide], attack: ["T1078.004"]),
    ]

    static let eventRules: [RuleDescriptor] = [
        RuleDescriptor(
            id: "root-activity", kind: .event, severity: .high,
            summary: "A call by the root user (not AWS service events, calls services make for it, or "
                + "CreateServiceLinkedRole).",
            remediation: "Confirm the root user's owner made the calls; do the work with an IAM role next time and "
                + "keep root credentials locked away with MFA.",
            references: [rootGuide], attack: ["T1078.004"]),
        RuleDescriptor(
            id: "s3-bucket-made-public", kind: .event, severity: .high,
            summary: "A bucket ACL granting public or all-authenticated-users access (canned ACLs or AllUsers/"
                + "AuthenticatedUsers grants), or a bucket policy allowing everyone without a restricting condition.",
            remediation: "Remove the public grant or statement, and turn on S3 Block Public Access for the bucket "
                + "and the account.",
            references: [
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
            ],
            attack: ["T1530"]),
        RuleDescriptor(
            id: "s3-public-access-block-removed", kind: .event, severity: .high,
            summary: "S3 Block Public Access removed or weakened for a bucket or the account.",
            remediation: "Turn all four Block Public Access settings back on unless the bucket is meant to be public.",
            references: [
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
            ],
            attack: ["T1530"]),
        RuleDescriptor(
            id: "cloudtrail-logging-disabled", kind: .event, severity: .critical,
            summary: "A trail stopped (StopLogging) or deleted.",
            remediation:
                "Start logging again, find out who stopped it and why, and protect trails with an SCP.",
            references: [cloudTrailGuide], attack: ["T1562.008"]),
        RuleDescriptor(
            id: "cloudtrail-event-selectors-reduced", kind: .event, severity: .high,
            summary: "Event selectors changed so that a trail no longer records (all) management events.",
            remediation: "Restore management events (read and write) on the trail.", references: [cloudTrailGuide],
            attack: ["T1562.008"]),
        RuleDescriptor(
            id: "access-key-created-for-other-user", kind: .event, severity: .high,
            summary: "An access key created for a user other than the caller (by another user, a role or root).",
            remediation: "Confirm the new key was requested by its user; otherwise deactivate it — creating keys for "
                + "others is a classic persistence step.",
            references: [accessKeysGuide], attack: ["T1098.001"]),
        RuleDescriptor(
            id: "login-profile-changed-for-other-user", kind: .event, severity: .high,
            summary: "A console password created or changed for a user other than the caller.",
            remediation: "Confirm with the user; otherwise reset the password, require MFA, and review the caller.",
            references: [
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html"
            ],
            attack: ["T1098"]),
        RuleDescriptor(
            id: "admin-policy-attached", kind: .event, severity: .high,
            summary: "AdministratorAccess attached to a user, group or role, or an inline policy allowing every "
                + "action on every resource.",
            remediation: "Grant least privilege instead; if admin rights are needed, use a role that is assumed with "
                + "MFA and audited.",
            references: [bestPractices + "#grant-least-privilege"], attack: ["T1098.003"]),
        RuleDescriptor(
            id: "mfa-device-deactivated", kind: .event, severity: .medium,
            summary: "An MFA device deactivated or a virtual MFA device deleted.",
            remediation: "Confirm with the user and re-enable MFA; require MFA with an IAM policy condition.",
            references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_disable.html"],
            attack: ["T1556.006"]),
        RuleDescriptor(
            id: "console-login-without-mfa", kind: .event, severity: .medium,
            summary: "A successful console sign-in by an IAM user or root without MFA.",
            remediation: "Enable MFA for the user (root: always) and deny actions without MFA.",
            references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html"],
            attack: ["T1078.004"]),
        RuleDescriptor(
            id: "guardduty-disabled", kind: .event, severity: .high,
            summary: "A GuardDuty detector deleted or disabled, or member monitoring stopped.",
            remediation: "Re-enable GuardDuty and find out who disabled it; protect it with an SCP.",
            references: ["https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_suspend-disable.html"],
            attack: ["T1562.001"]),
        RuleDescriptor(
            id: "config-recorder-stopped", kind: .event, severity: .high,
            summary: "AWS Config recording stopped or its recorder or delivery channel deleted.",
            remediation: "Start the configuration recorder again and find out who stopped it.",
            references: ["https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html"],
            attack: ["T1562.001"]),
        RuleDescriptor(
            id: "vpc-flow-logs-deleted", kind: .event, severity: .medium,
            summary: "VPC flow logs deleted.", remediation: "Recreate the flow logs and find out who deleted them.",
            references: ["https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"], attack: ["T1562.008"]),
        RuleDescriptor(
            id: "dns-query-logging-deleted", kind: .event, severity: .medium,
            summary: "Route 53 or Resolver DNS query logging deleted or detached.",
            remediation: "Restore DNS query logging and find out who removed it.",
            references: ["https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html"],
            attack: ["T1562.008"]),
        RuleDescriptor(
            id: "snapshot-shared", kind: .event, severity: .high,
            summary: "An EBS or RDS snapshot shared with another account (high) or made public (critical).",
            remediation: "Remove the share unless the other account is yours and expected; public snapshots leak "
                + "whole disks and databases.",
            references: ["https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html"],
            attack: ["T1537"]),
        RuleDescriptor(
            id: "image-shared", kind: .event, severity: .high,
            summary: "An AMI's launch permission given to another account (high) or everyone (critical).",
            remediation: "Remove the launch permission unless the share is expected.",
            references: ["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html"],
            attack: ["T1537"]),
        RuleDescriptor(
            id: "security-group-open-to-world", kind: .event, severity: .high,
            summary: "Security group ingress opened to 0.0.0.0/0 or ::/0 (critical for SSH, RDP or all ports).",
            remediation: "Restrict the rule to known address ranges, or reach hosts through Session Manager.",
            references: ["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
            attack: ["T1562.007"]),
        RuleDescriptor(
            id: "compromised-key-quarantine-policy", kind: .event, severity: .critical,
            summary: "AWS attached its quarantine policy (AWSCompromisedKeyQuarantine…, AWSExposedCredentialPolicy) "
                + "to a user: AWS found the user's key exposed.",
            remediation: "Treat the user's keys as leaked: deactivate and rotate them, review their recent activity, "
                + "then follow AWS's case.",
            references: [
                "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV3.html"
            ], attack: ["T1078.004"]),
        RuleDescriptor(
            id: "credential-scanner-user-agent", kind: .event, severity: .high,
            summary: "A call whose user agent is a credential scanner or offensive tool (TruffleHog, Pacu, …) "
                + "checking or using a key.",
            remediation: "Find where the key leaked (repositories, logs, images), deactivate it, and rotate.",
            references: ["https://github.com/trufflesecurity/trufflehog"], attack: ["T1078.004", "T1552.001"]),
        RuleDescriptor(
            id: "role-trust-external-account", kind: .event, severity: .high,
            summary: "A role created or its trust policy changed to trust an account outside those in the logs (or "
                + "anyone).",
            remediation: "Confirm the external account is expected and add an sts:ExternalId condition; remove the "
                + "trust otherwise.",
            references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html"],
            attack: ["T1098"]),
        RuleDescriptor(
            id: "federation-token-created", kind: .event, severity: .medium,
            summary: "GetFederationToken called with a long-term key (temporary credentials that outlive the key's "
                + "deactivation).",
            remediation: "Confirm the caller needs federation tokens; attackers use them to persist after a key is "
                + "disabled.",
            references: ["https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html"],
            attack: ["T1550.001"]),
        RuleDescriptor(
            id: "organization-left", kind: .event, severity: .high,
            summary: "An account left its AWS Organization (and its SCPs and central logging).",
            remediation: "Find out who did it; an account outside the organization escapes its guardrails.",
            references: [
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_leave-as-member.html"
            ], attack: ["T1666"]),
    ]

    static let windowRules: [RuleDescriptor] = [
        RuleDescriptor(
            id: "access-denied-burst", kind: .window, severity: .medium,
            summary: "Many AccessDenied/UnauthorizedOperation/NotAuthorized errors for one principal in a short "
                + "window (20 in 10 minutes): probing what a key can do.",
            remediation: "Find who holds the credentials; enumeration from an unfamiliar network means a leak.",
            references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"],
            attack: ["T1580", "T1526"]),
        RuleDescriptor(
            id: "secrets-bulk-read", kind: .window, severity: .high,
            summary: "Many secrets read by one principal in a short window (10 distinct via GetSecretValue, or 3 "
                + "BatchGetSecretValue calls, in 10 minutes).",
            remediation: "Confirm the reads are expected; rotate the secrets if not.",
            references: ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-cloudtrail.html"],
            attack: ["T1555.006"]),
        RuleDescriptor(
            id: "key-first-seen-from-new-network", kind: .window, severity: .medium,
            summary: "With a state store: a long-term key with at least 7 days of history used from a /24 (IPv4) or "
                + "/48 (IPv6) network it had never used before.",
            remediation: "Confirm the new location with the key's owner; if nobody knows it, deactivate the key and "
                + "look at what it did from there.",
            references: [accessKeysGuide, bestPractices + "#bp-workloads-use-roles"], attack: ["T1078.004"],
            requiresState: true),
    ]
}
