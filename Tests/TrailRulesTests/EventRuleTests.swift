import Testing
import TrailAnalysis
import TrailModel
import TrailTestSupport

/// One record and what a rule must make of it.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let name: String
    let record: RecordBuilder
    /// The severity the finding must have, or nil when the rule must not fire.
    let severity: Severity?

    var testDescription: String { "\(rule): \(name) → \(severity?.rawValue ?? "no finding")" }

    static func fires(
        _ rule: String, _ name: String, _ severity: Severity, _ configure: (inout RecordBuilder) -> Void
    )
        -> RuleCase
    {
        RuleCase(rule: rule, name: name, record: RecordBuilder(configure), severity: severity)
    }

    static func silent(_ rule: String, _ name: String, _ configure: (inout RecordBuilder) -> Void) -> RuleCase {
        RuleCase(rule: rule, name: name, record: RecordBuilder(configure), severity: nil)
    }
}

extension RecordBuilder {
    mutating func call(_ source: String, _ name: String, _ parameters: String? = nil) {
        eventSource = source
        eventName = name
        requestParameters = parameters
        readOnly = false
    }

    mutating func asRole() {
        identityType = "AssumedRole"
        arn = "arn:aws:sts::111122223333:assumed-role/admin/ops"
        accessKeyId = "ASIAY34FZKBOKMUTVV7A"
        userName = nil
        sessionIssuer = ("Role", "arn:aws:iam::111122223333:role/admin", "admin")
    }
}

@Suite("Event rules: every rule, positive and negative")
struct EventRuleTests {
    static let s3 = "s3.amazonaws.com"
    static let iam = "iam.amazonaws.com"
    static let ec2 = "ec2.amazonaws.com"
    static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

    static let cases: [RuleCase] = [
        // root-activity
        .fires("root-activity", "root lists users", .high) {
            $0.asRoot()
            $0.call(Self.iam, "ListUsers")
        },
        .silent("root-activity", "root creates a service-linked role") {
            $0.asRoot()
            $0.call(Self.iam, "CreateServiceLinkedRole")
        },
        .silent("root-activity", "an AWS service event for root") {
            $0.asRoot()
            $0.eventType = "AwsServiceEvent"
        },
        .silent("root-activity", "root's call was denied") {
            $0.asRoot()
            $0.errorCode = "AccessDenied"
        },
        .silent("root-activity", "a service calling on root's behalf") {
            $0.asRoot()
            $0.invokedBy = "cloudformation.amazonaws.com"
        },
        .silent("root-activity", "an IAM user") { $0.call(Self.iam, "ListUsers") },
        // s3-bucket-made-public
        .fires("s3-bucket-made-public", "canned public-read", .high) {
            $0.call(Self.s3, "PutBucketAcl", #"{"bucketName":"b","x-amz-acl":["public-read"]}"#)
        },
        .fires("s3-bucket-made-public", "canned public-read-write", .critical) {
            $0.call(Self.s3, "PutBucketAcl", #"{"bucketName":"b","x-amz-acl":"public-read-write"}"#)
        },
        .fires("s3-bucket-made-public", "an AllUsers READ grant as an object", .high) {
            $0.call(
                Self.s3, "PutBucketAcl",
                #"{"bucketName":"b","AccessControlPolicy":{"AccessControlList":{"Grant":{"Grantee":{"xsi:type":"Group","URI":"\#(Self.allUsers)"},"Permission":"READ"}}}}"#
            )
        },
        .fires("s3-bucket-made-public", "an AuthenticatedUsers WRITE grant in an array", .critical) {
            $0.call(
                Self.s3, "PutBucketAcl",
                #"{"bucketName":"b","AccessControlPolicy":{"AccessControlList":{"Grant":[{"Grantee":{"ID":"abc"},"Permission":"FULL_CONTROL"},{"Grantee":{"URI":"http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},"Permission":"WRITE"}]}}}"#
            )
        },
        .fires("s3-bucket-made-public", "a policy allowing * as an object", .high) {
            $0.call(
                Self.s3, "PutBucketPolicy",
                #"{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}"#
            )
        },
        .fires("s3-bucket-made-public", "a policy as a JSON string allowing {AWS:*} to put", .critical) {
            $0.call(
                Self.s3, "PutBucketPolicy",
                #"{"bucketName":"b","bucketPolicy":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"s3:PutObject\"],\"Resource\":\"*\"}}"}"#
            )
        },
        .silent("s3-bucket-made-public", "a LogDelivery grant") {
            $0.call(
                Self.s3, "PutBucketAcl",
                #"{"bucketName":"b","AccessControlPolicy":{"AccessControlList":{"Grant":{"Grantee":{"URI":"http://acs.amazonaws.com/groups/s3/LogDelivery"},"Permission":"WRITE"}}}}"#
            )
        },
        .silent("s3-bucket-made-public", "an owner-only ACL") {
            $0.call(
                Self.s3, "PutBucketAcl",
                #"{"bucketName":"b","AccessControlPolicy":{"AccessControlList":{"Grant":{"Grantee":{"xsi:type":"CanonicalUser","ID":"d25639fb"},"Permission":"FULL_CONTROL"}}}}"#
            )
        },
        .silent("s3-bucket-made-public", "a * policy restricted to a VPC endpoint") {
            $0.call(
                Self.s3, "PutBucketPolicy",
                #"{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b"}}}]}}"#
            )
        },
        .silent("s3-bucket-made-public", "a private canned ACL") {
            $0.call(Self.s3, "PutBucketAcl", #"{"bucketName":"b","x-amz-acl":["private"]}"#)
        },
        .silent("s3-bucket-made-public", "a public ACL that was denied") {
            $0.call(Self.s3, "PutBucketAcl", #"{"bucketName":"b","x-amz-acl":["public-read"]}"#)
            $0.errorCode = "AccessDenied"
        },
        // s3-public-access-block-removed
        .fires("s3-public-access-block-removed", "bucket block deleted", .high) {
            $0.call(Self.s3, "DeleteBucketPublicAccessBlock", #"{"bucketName":"b"}"#)
        },
        .fires("s3-public-access-block-removed", "account block weakened", .high) {
            $0.call(
                "s3.amazonaws.com", "PutAccountPublicAccessBlock",
                #"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":"false"}}"#
            )
        },
        .silent("s3-public-access-block-removed", "all four settings on") {
            $0.call(
                Self.s3, "PutBucketPublicAccessBlock",
                #"{"bucketName":"b","PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}}"#
            )
        },
        // cloudtrail-logging-disabled
        .fires("cloudtrail-logging-disabled", "StopLogging", .critical) {
            $0.call("cloudtrail.amazonaws.com", "StopLogging", #"{"name":"org-trail"}"#)
        },
        .fires("cloudtrail-logging-disabled", "DeleteTrail", .critical) {
            $0.call("cloudtrail.amazonaws.com", "DeleteTrail", #"{"name":"org-trail"}"#)
        },
        .silent("cloudtrail-logging-disabled", "StartLogging") {
            $0.call("cloudtrail.amazonaws.com", "StartLogging", #"{"name":"org-trail"}"#)
        },
        .silent("cloudtrail-logging-disabled", "StopLogging denied") {
            $0.call("cloudtrail.amazonaws.com", "StopLogging", #"{"name":"org-trail"}"#)
            $0.errorCode = "AccessDenied"
        },
        // cloudtrail-event-selectors-reduced
        .fires("cloudtrail-event-selectors-reduced", "management events excluded", .high) {
            $0.call(
                "cloudtrail.amazonaws.com", "PutEventSelectors",
                #"{"trailName":"t","eventSelectors":[{"readWriteType":"All","includeManagementEvents":false,"dataResources":[]}]}"#
            )
        },
        .fires("cloudtrail-event-selectors-reduced", "advanced selectors for data events only", .high) {
            $0.call(
                "cloudtrail.amazonaws.com", "PutEventSelectors",
                #"{"trailName":"t","advancedEventSelectors":[{"name":"s3","fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]}"#
            )
        },
        .fires("cloudtrail-event-selectors-reduced", "read-only management events", .medium) {
            $0.call(
                "cloudtrail.amazonaws.com", "PutEventSelectors",
                #"{"trailName":"t","eventSelectors":[{"readWriteType":"ReadOnly","includeManagementEvents":true}]}"#)
        },
        .silent("cloudtrail-event-selectors-reduced", "all management events") {
            $0.call(
                "cloudtrail.amazonaws.com", "PutEventSelectors",
                #"{"trailName":"t","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true}]}"#)
        },
        // access-key-created-for-other-user
        .fires("access-key-created-for-other-user", "alice creates a key for bob", .high) {
            $0.call(Self.iam, "CreateAccessKey", #"{"userName":"bob"}"#)
            $0.responseElements =
                #"{"accessKey":{"accessKeyId":"AKIANEWKEYFORBOB0000","status":"Active","userName":"bob"}}"#
        },
        .fires("access-key-created-for-other-user", "a role creates a key for bob", .high) {
            $0.asRole()
            $0.call(Self.iam, "CreateAccessKey", #"{"userName":"bob"}"#)
        },
        .silent("access-key-created-for-other-user", "alice names herself") {
            $0.call(Self.iam, "CreateAccessKey", #"{"userName":"alice"}"#)
        },
        .silent("access-key-created-for-other-user", "no user named: her own") {
            $0.call(Self.iam, "CreateAccessKey", #"{}"#)
        },
        // login-profile-changed-for-other-user
        .fires("login-profile-changed-for-other-user", "alice sets bob's password", .high) {
            $0.call(Self.iam, "UpdateLoginProfile", #"{"userName":"bob","passwordResetRequired":false}"#)
        },
        .silent("login-profile-changed-for-other-user", "alice changes her own") {
            $0.call(Self.iam, "UpdateLoginProfile", #"{"userName":"alice"}"#)
        },
        // admin-policy-attached
        .fires("admin-policy-attached", "AdministratorAccess to a user", .high) {
            $0.call(
                Self.iam, "AttachUserPolicy",
                #"{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#)
        },
        .fires("admin-policy-attached", "an inline * on * role policy as JSON text", .high) {
            $0.call(
                Self.iam, "PutRolePolicy",
                #"{"roleName":"r","policyName":"p","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}"#
            )
        },
        .silent("admin-policy-attached", "AdministratorAccess-Amplify") {
            $0.call(
                Self.iam, "AttachRolePolicy",
                #"{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess-Amplify"}"#)
        },
        .silent("admin-policy-attached", "ReadOnlyAccess") {
            $0.call(
                Self.iam, "AttachGroupPolicy",
                #"{"groupName":"g","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#)
        },
        .silent("admin-policy-attached", "an inline policy for one service") {
            $0.call(
                Self.iam, "PutUserPolicy",
                #"{"userName":"u","policyName":"p","policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}"#
            )
        },
        // mfa-device-deactivated
        .fires("mfa-device-deactivated", "DeactivateMFADevice", .medium) {
            $0.call(Self.iam, "DeactivateMFADevice", #"{"userName":"bob","serialNumber":"arn:aws:iam::1:mfa/bob"}"#)
        },
        .silent("mfa-device-deactivated", "denied") {
            $0.call(Self.iam, "DeactivateMFADevice", #"{"userName":"bob"}"#)
            $0.errorCode = "AccessDenied"
        },
        // console-login-without-mfa
        .fires("console-login-without-mfa", "IAM user without MFA", .medium) {
            $0.call("signin.amazonaws.com", "ConsoleLogin")
            $0.responseElements = #"{"ConsoleLogin":"Success"}"#
            $0.additionalEventData = #"{"MFAUsed":"No","MobileVersion":"No"}"#
        },
        .fires("console-login-without-mfa", "root without MFA", .high) {
            $0.asRoot()
            $0.call("signin.amazonaws.com", "ConsoleLogin")
            $0.responseElements = #"{"ConsoleLogin":"Success"}"#
            $0.additionalEventData = #"{"MFAUsed":"No"}"#
        },
        .silent("console-login-without-mfa", "MFAUsed: Yes") {
            $0.call("signin.amazonaws.com", "ConsoleLogin")
            $0.responseElements = #"{"ConsoleLogin":"Success"}"#
            $0.additionalEventData = #"{"MFAUsed":"Yes"}"#
        },
        .silent("console-login-without-mfa", "a failed sign-in") {
            $0.call("signin.amazonaws.com", "ConsoleLogin")
            $0.responseElements = #"{"ConsoleLogin":"Failure"}"#
            $0.additionalEventData = #"{"MFAUsed":"No"}"#
            $0.errorMessage = "Failed authentication"
        },
        .silent("console-login-without-mfa", "an SSO role session (MFA is the identity provider's)") {
            $0.asRole()
            $0.call("signin.amazonaws.com", "ConsoleLogin")
            $0.responseElements = #"{"ConsoleLogin":"Success"}"#
            $0.additionalEventData = #"{"MFAUsed":"No"}"#
        },
        // guardduty-disabled
        .fires("guardduty-disabled", "DeleteDetector", .high) {
            $0.call("guardduty.amazonaws.com", "DeleteDetector", #"{"detectorId":"12abc"}"#)
        },
        .fires("guardduty-disabled", "UpdateDetector enable false", .high) {
            $0.call("guardduty.amazonaws.com", "UpdateDetector", #"{"detectorId":"12abc","enable":false}"#)
        },
        .silent("guardduty-disabled", "UpdateDetector enable true") {
            $0.call("guardduty.amazonaws.com", "UpdateDetector", #"{"detectorId":"12abc","enable":true}"#)
        },
        // config-recorder-stopped
        .fires("config-recorder-stopped", "StopConfigurationRecorder", .high) {
            $0.call("config.amazonaws.com", "StopConfigurationRecorder", #"{"configurationRecorderName":"default"}"#)
        },
        .silent("config-recorder-stopped", "StartConfigurationRecorder") {
            $0.call("config.amazonaws.com", "StartConfigurationRecorder", #"{"configurationRecorderName":"default"}"#)
        },
        // vpc-flow-logs-deleted
        .fires("vpc-flow-logs-deleted", "DeleteFlowLogs", .medium) {
            $0.call(Self.ec2, "DeleteFlowLogs", #"{"DeleteFlowLogsRequest":{"FlowLogId":{"tag":1,"content":"fl-1"}}}"#)
        },
        .silent("vpc-flow-logs-deleted", "CreateFlowLogs") { $0.call(Self.ec2, "CreateFlowLogs", #"{}"#) },
        // dns-query-logging-deleted
        .fires("dns-query-logging-deleted", "DeleteResolverQueryLogConfig", .medium) {
            $0.call(
                "route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig",
                #"{"resolverQueryLogConfigId":"rqlc-1"}"#)
        },
        .silent("dns-query-logging-deleted", "the same name from another service") {
            $0.call("example.amazonaws.com", "DeleteResolverQueryLogConfig", #"{}"#)
        },
        // snapshot-shared
        .fires("snapshot-shared", "EBS snapshot made public", .critical) {
            $0.call(
                Self.ec2, "ModifySnapshotAttribute",
                #"{"snapshotId":"snap-1","attributeType":"CREATE_VOLUME_PERMISSION","createVolumePermission":{"add":{"items":[{"group":"all"}]}}}"#
            )
        },
        .fires("snapshot-shared", "EBS snapshot shared with another account", .high) {
            $0.call(
                Self.ec2, "ModifySnapshotAttribute",
                #"{"snapshotId":"snap-1","createVolumePermission":{"add":{"items":[{"userId":"999988887777"}]}}}"#)
        },
        .fires("snapshot-shared", "RDS snapshot restorable by all", .critical) {
            $0.call(
                "rds.amazonaws.com", "ModifyDBSnapshotAttribute",
                #"{"dBSnapshotIdentifier":"db-snap","attributeName":"restore","valuesToAdd":["all"]}"#)
        },
        .silent("snapshot-shared", "shared with its own account") {
            $0.call(
                Self.ec2, "ModifySnapshotAttribute",
                #"{"snapshotId":"snap-1","createVolumePermission":{"add":{"items":[{"userId":"111122223333"}]}}}"#)
        },
        .silent("snapshot-shared", "a share removed") {
            $0.call(
                Self.ec2, "ModifySnapshotAttribute",
                #"{"snapshotId":"snap-1","createVolumePermission":{"remove":{"items":[{"group":"all"}]}}}"#)
        },
        // image-shared
        .fires("image-shared", "AMI launchable by another account", .high) {
            $0.call(
                Self.ec2, "ModifyImageAttribute",
                #"{"imageId":"ami-1","launchPermission":{"add":{"items":[{"userId":"999988887777"}]}},"attributeType":"launchPermission"}"#
            )
        },
        .silent("image-shared", "launch permission removed") {
            $0.call(
                Self.ec2, "ModifyImageAttribute",
                #"{"imageId":"ami-1","launchPermission":{"remove":{"items":[{"group":"all"}]}}}"#)
        },
        // security-group-open-to-world
        .fires("security-group-open-to-world", "SSH from anywhere", .critical) {
            $0.call(
                Self.ec2, "AuthorizeSecurityGroupIngress",
                #"{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}"#
            )
        },
        .fires("security-group-open-to-world", "HTTPS from any IPv6", .high) {
            $0.call(
                Self.ec2, "AuthorizeSecurityGroupIngress",
                #"{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]}}]}}"#
            )
        },
        .silent("security-group-open-to-world", "SSH from a private range") {
            $0.call(
                Self.ec2, "AuthorizeSecurityGroupIngress",
                #"{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}"#
            )
        },
        // compromised-key-quarantine-policy
        .fires("compromised-key-quarantine-policy", "AWS quarantines bob", .critical) {
            $0.call(
                Self.iam, "AttachUserPolicy",
                #"{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"}"#)
        },
        .silent("compromised-key-quarantine-policy", "another managed policy") {
            $0.call(
                Self.iam, "AttachUserPolicy",
                #"{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#)
        },
        // credential-scanner-user-agent
        .fires("credential-scanner-user-agent", "TruffleHog validating a key", .high) {
            $0.call("sts.amazonaws.com", "GetCallerIdentity")
            $0.userAgent = "TruffleHog"
        },
        .fires("credential-scanner-user-agent", "TruffleHog in S3's brackets, and denied", .high) {
            $0.call(Self.s3, "ListBuckets")
            $0.userAgent = "[trufflehog/3.82.6]"
            $0.errorCode = "AccessDenied"
        },
        // Every tool the rule knows, each through its own entry of the inline prefix table.
        .fires("credential-scanner-user-agent", "Pacu", .high) { $0.userAgent = "Pacu/1.6.0" },
        .fires("credential-scanner-user-agent", "CloudFox", .high) { $0.userAgent = "cloudfox/1.14.0" },
        .fires("credential-scanner-user-agent", "ScoutSuite", .high) { $0.userAgent = "Scout Suite/5.14.0" },
        .fires("credential-scanner-user-agent", "ggshield", .high) { $0.userAgent = "ggshield/1.30.0" },
        .fires("credential-scanner-user-agent", "GitGuardian", .high) { $0.userAgent = "GitGuardian-validator" },
        .silent("credential-scanner-user-agent", "the AWS CLI") { $0.call("sts.amazonaws.com", "GetCallerIdentity") },
        .silent("credential-scanner-user-agent", "a tool name later in the user agent") {
            $0.userAgent = "aws-cli/2.15.0 notes:trufflehog-was-here"
        },
        // role-trust-external-account
        .fires("role-trust-external-account", "a new role trusting an unknown account", .high) {
            $0.call(
                Self.iam, "CreateRole",
                #"{"roleName":"vendor","assumeRolePolicyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}"}"#
            )
        },
        .fires("role-trust-external-account", "a trust policy opened to anyone", .critical) {
            $0.call(
                Self.iam, "UpdateAssumeRolePolicy",
                #"{"roleName":"r","policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"}"#
            )
        },
        .silent("role-trust-external-account", "trusting its own account") {
            $0.call(
                Self.iam, "CreateRole",
                #"{"roleName":"r","assumeRolePolicyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"sts:AssumeRole\"}]}"}"#
            )
        },
        .silent("role-trust-external-account", "trusting a service") {
            $0.call(
                Self.iam, "CreateRole",
                #"{"roleName":"r","assumeRolePolicyDocument":{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}}"#
            )
        },
        // federation-token-created
        .fires("federation-token-created", "from a long-term key", .medium) {
            $0.call("sts.amazonaws.com", "GetFederationToken", #"{"name":"persist","durationSeconds":129600}"#)
        },
        .silent("federation-token-created", "from temporary credentials") {
            $0.asRole()
            $0.call("sts.amazonaws.com", "GetFederationToken", #"{"name":"x"}"#)
        },
        // organization-left
        .fires("organization-left", "LeaveOrganization", .high) {
            $0.call("organizations.amazonaws.com", "LeaveOrganization")
        },
    ]

    @Test("one record", arguments: cases)
    func rule(_ ruleCase: RuleCase) {
        let found = findings(of: ruleCase.rule, [ruleCase.record])
        if let severity = ruleCase.severity {
            #expect(found.count == 1, "expected one \(ruleCase.rule) finding, got \(found.map(\.title))")
            #expect(found.first?.severity == severity)
            #expect(found.first?.eventIds == [ruleCase.record.eventID])
            #expect(found.first?.remediation.isEmpty == false)
            #expect(found.first?.attack.isEmpty == false)
        } else {
            #expect(found.isEmpty, "unexpected: \(found.map(\.title))")
        }
    }

    @Test("every event rule in the catalog has a firing and a silent case")
    func coverage() {
        for rule in RuleCatalog.all where rule.kind == .event {
            #expect(Self.cases.contains { $0.rule == rule.id && $0.severity != nil }, "\(rule.id) has no positive case")
            #expect(
                Self.cases.contains { $0.rule == rule.id && $0.severity == nil } || rule.id == "organization-left",
                "\(rule.id) has no negative case")
        }
    }
}
