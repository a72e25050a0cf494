#!/usr/bin/env python3
"""Writes keytrail's SampleLogs/: a small CloudTrail archive in the real S3 layout, and its credential report.

Deterministic: the same script always writes byte-identical files (seeded randomness, gzip mtime 0), so the
archive can be regenerated and diffed. Run from the repository root:

    python3 Scripts/generate-sample-logs.py SampleLogs

The story it tells (account 111122223333 "prod", 444455556666 "dev"; us-east-1 and eu-west-1):
  - alice: a person with a long-term key, aws-cli from an office network on weekdays. On 2026-11-03 she makes the
    bucket marketing-assets public-read; on 2026-10-14 she creates user bob and an access key for him.
  - ci-deploy: a long-term key used by CI (GitHub Actions running Terraform) from EC2 addresses, every hour of every
    day: the textbook case for an IAM role with OIDC federation instead. Its second key has never been used.
  - legacy-backup: a nightly backup job's long-term key, active every night until 2026-08-20 and silent since.
  - app-role: an EC2 instance profile; temporary ASIA keys that rotate every session.
  - root: signs in to the console without MFA on 2026-11-10 and then calls IAM with a root access key.
  - bob: the key alice created is used on 2026-11-20 from an unfamiliar network by a credential scanner, probes
    for permissions (a burst of AccessDenied) and stops the CloudTrail trail.
  - carol (dev account): console sessions and a few CLI calls.
"""
import csv
import gzip
import hashlib
import io
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

PROD = "111122223333"
DEV = "444455556666"
REGIONS = ["us-east-1", "eu-west-1"]
START = datetime(2026, 8, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 28, 23, 59, 59, tzinfo=timezone.utc)
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

CLI_LAPTOP = "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#s3.ls"
TERRAFORM_GHA = "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.179.2 exec-env/GitHub_Actions"
BACKUP_CLI = "aws-cli/1.18.69 Python/2.7.18 Linux/4.14.355-271.569.amzn2.x86_64 botocore/1.17.12"
BOTO_EC2 = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.109-118.189.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#legacy Botocore/1.35.36"
TRUFFLEHOG = "TruffleHog"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
CONSOLE = "AWS Internal"


def key_id(name, prefix="AKIA"):
    digest = hashlib.sha256(name.encode()).digest()
    return prefix + "".join(BASE32[b % 32] for b in digest[:16])


def uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def ts(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iam_user(account, name, key):
    return {
        "type": "IAMUser",
        "principalId": "AIDA" + key_id("principal-" + name)[4:],
        "arn": f"arn:aws:iam::{account}:user/{name}",
        "accountId": account,
        "accessKeyId": key,
        "userName": name,
    }


def root(account, key):
    identity = {"type": "Root", "principalId": account, "arn": f"arn:aws:iam::{account}:root", "accountId": account}
    identity["accessKeyId"] = key
    return identity


def role_session(account, role, session, key, ec2=False, console=False):
    identity = {
        "type": "AssumedRole",
        "principalId": "AROA" + key_id("role-" + role)[4:] + ":" + session,
        "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
        "accountId": account,
        "accessKeyId": key,
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA" + key_id("role-" + role)[4:],
                "arn": f"arn:aws:iam::{account}:role/{role}",
                "accountId": account,
                "userName": role,
            },
            "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "true" if console else "false"},
        },
    }
    if ec2:
        identity["sessionContext"]["ec2RoleDelivery"] = "2.0"
    return identity


def event(rng, moment, identity, source, name, region, ip, agent, request=None, response=None, read_only=True,
          error=None, extra=None, event_type="AwsApiCall", account=None):
    record = {
        "eventVersion": "1.10",
        "userIdentity": identity,
        "eventTime": ts(moment),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": agent,
    }
    if error:
        record["errorCode"] = error[0]
        record["errorMessage"] = error[1]
    record["requestParameters"] = request
    record["responseElements"] = response
    if extra:
        record["additionalEventData"] = extra
    record["requestID"] = uuid(rng)
    record["eventID"] = uuid(rng)
    record["readOnly"] = read_only
    record["eventType"] = event_type
    record["managementEvent"] = True
    record["recipientAccountId"] = account or identity.get("accountId")
    record["eventCategory"] = "Management"
    if source != "signin.amazonaws.com":
        record["tlsDetails"] = {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
        }
    return record


class Archive:
    def __init__(self):
        self.files = {}

    def add(self, account, region, record):
        moment = datetime.strptime(record["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        # One file per account, region and day keeps the sample small; CloudTrail writes one every ~5 minutes.
        delivery = moment.replace(hour=23, minute=55, second=0)
        self.files.setdefault((account, region, delivery), []).append(record)

    def write(self, folder):
        count = 0
        for (account, region, delivery), records in sorted(self.files.items()):
            records.sort(key=lambda r: (r["eventTime"], r["eventID"]))
            path = os.path.join(folder, "AWSLogs", account, "CloudTrail", region, delivery.strftime("%Y/%m/%d"))
            os.makedirs(path, exist_ok=True)
            unique = hashlib.sha256(f"{account}{region}{delivery}".encode()).hexdigest()[:16]
            name = f"{account}_CloudTrail_{region}_{delivery.strftime('%Y%m%dT%H%MZ')}_{unique}.json.gz"
            write_gzip(os.path.join(path, name), json.dumps({"Records": records}, separators=(",", ":")))
            count += len(records)
        return count


def write_gzip(path, text):
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0, filename="") as zipped:
        zipped.write(text.encode())
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())


def days(start, end):
    day = start.replace(hour=0, minute=0, second=0)
    while day <= end:
        yield day
        day += timedelta(days=1)


def alice(rng, archive):
    key = key_id("alice")
    for day in days(START, END):
        if day.weekday() >= 5 or rng.random() < 0.15:
            continue
        for _ in range(rng.randint(4, 9)):
            moment = day + timedelta(hours=rng.randint(8, 16), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
            region = "us-east-1" if rng.random() < 0.8 else "eu-west-1"
            ip = rng.choice(["203.0.113.24", "203.0.113.25"])
            source, name, request = rng.choice([
                ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}),
                ("s3.amazonaws.com", "GetBucketPolicy", {"bucketName": "marketing-assets", "Host": "marketing-assets.s3.amazonaws.com", "policy": [""]}),
                ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
                ("sts.amazonaws.com", "GetCallerIdentity", None),
                ("cloudwatch.amazonaws.com", "GetMetricData", {"startTime": "Nov 1, 2026 12:00:00 AM", "endTime": "Nov 2, 2026 12:00:00 AM"}),
            ])
            archive.add(PROD, region, event(rng, moment, iam_user(PROD, "alice", key), source, name, region, ip, CLI_LAPTOP, request))
    # A public bucket: canned ACL public-read.
    moment = datetime(2026, 11, 3, 14, 7, 31, tzinfo=timezone.utc)
    archive.add(PROD, "us-east-1", event(
        rng, moment, iam_user(PROD, "alice", key), "s3.amazonaws.com", "PutBucketAcl", "us-east-1", "203.0.113.24",
        CLI_LAPTOP, {"bucketName": "marketing-assets", "Host": "marketing-assets.s3.amazonaws.com", "acl": [""],
                     "x-amz-acl": ["public-read"]}, None, read_only=False,
        extra={"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
               "AuthenticationMethod": "AuthHeader", "x-amz-id-2": "7Hn0nqWEXAMPLEcqQzGv8fP8Dw==", "bytesTransferredOut": 0}))
    # A new user, and an access key for that user.
    moment = datetime(2026, 10, 14, 10, 2, 11, tzinfo=timezone.utc)
    archive.add(PROD, "us-east-1", event(
        rng, moment, iam_user(PROD, "alice", key), "iam.amazonaws.com", "CreateUser", "us-east-1", "203.0.113.24",
        CLI_LAPTOP, {"userName": "bob"},
        {"user": {"path": "/", "userName": "bob", "userId": "AIDA" + key_id("principal-bob")[4:],
                  "arn": f"arn:aws:iam::{PROD}:user/bob", "createDate": "Oct 14, 2026, 10:02:11 AM"}}, read_only=False))
    moment += timedelta(seconds=48)
    archive.add(PROD, "us-east-1", event(
        rng, moment, iam_user(PROD, "alice", key), "iam.amazonaws.com", "CreateAccessKey", "us-east-1", "203.0.113.24",
        CLI_LAPTOP, {"userName": "bob"},
        {"accessKey": {"accessKeyId": key_id("bob"), "status": "Active", "userName": "bob",
                       "createDate": "Oct 14, 2026, 10:02:59 AM"}}, read_only=False))


def ci_deploy(rng, archive):
    key = key_id("ci-deploy")
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for day in days(start, END):
        for hour in range(24):
            if rng.random() < 0.1:
                continue
            for _ in range(rng.randint(2, 4)):
                moment = day + timedelta(hours=hour, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
                region = rng.choice(REGIONS)
                ip = rng.choice(["3.85.112.40", "54.210.17.93", "3.231.44.8", "52.91.200.14", "18.207.33.61", "34.229.76.190", "44.201.12.5"])
                source, name, request, read_only = rng.choice([
                    ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}, True),
                    ("ec2.amazonaws.com", "DescribeSecurityGroups", {"securityGroupSet": {}, "filterSet": {}}, True),
                    ("iam.amazonaws.com", "GetRole", {"roleName": "app-role"}, True),
                    ("s3.amazonaws.com", "GetBucketPolicy", {"bucketName": "terraform-state-prod", "Host": "terraform-state-prod.s3.amazonaws.com", "policy": [""]}, True),
                    ("sts.amazonaws.com", "GetCallerIdentity", None, True),
                    ("ec2.amazonaws.com", "CreateTags", {"resourcesSet": {"items": [{"resourceId": "i-0c1e2d3f4a5b6c7d8"}]}, "tagSet": {"items": [{"key": "deployed-by", "value": "terraform"}]}}, False),
                ])
                archive.add(PROD, region, event(rng, moment, iam_user(PROD, "ci-deploy", key), source, name, region, ip, TERRAFORM_GHA, request, read_only=read_only))


def legacy_backup(rng, archive):
    key = key_id("legacy-backup")
    for day in days(START, datetime(2026, 8, 20, tzinfo=timezone.utc)):
        moment = day + timedelta(hours=2, minutes=rng.randint(0, 5), seconds=rng.randint(0, 59))
        for part in range(3):
            name = f"nightly/{day.strftime('%Y-%m-%d')}/db-{part}.tar.gz"
            archive.add(PROD, "us-east-1", event(
                rng, moment + timedelta(seconds=part * 40), iam_user(PROD, "legacy-backup", key), "s3.amazonaws.com",
                "PutObject", "us-east-1", "198.51.100.7", BACKUP_CLI,
                {"bucketName": "prod-backups", "Host": "prod-backups.s3.amazonaws.com", "key": name}, None, read_only=False))


def app_role(rng, archive):
    start = datetime(2026, 11, 15, tzinfo=timezone.utc)
    for day in days(start, END):
        for session in range(2):
            key = key_id(f"app-role-{day.date()}-{session}", prefix="ASIA")
            base = day + timedelta(hours=6 + session * 9)
            for call in range(rng.randint(8, 14)):
                moment = base + timedelta(minutes=call * 4, seconds=rng.randint(0, 59))
                identity = role_session(PROD, "app-role", "i-0c1e2d3f4a5b6c7d8", key, ec2=True)
                source, name, request = rng.choice([
                    ("s3.amazonaws.com", "ListObjects", {"bucketName": "app-data", "Host": "app-data.s3.amazonaws.com", "prefix": "reports/"}),
                    ("sqs.amazonaws.com", "ReceiveMessage", {"queueUrl": f"https://sqs.us-east-1.amazonaws.com/{PROD}/jobs"}),
                    ("kms.amazonaws.com", "Decrypt", {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
                ])
                archive.add(PROD, "us-east-1", event(rng, moment, identity, source, name, "us-east-1", "3.85.112.40", BOTO_EC2, request))
        # AWS itself at work: no access key.
        moment = day + timedelta(hours=3, minutes=17)
        archive.add(PROD, "us-east-1", event(
            rng, moment, {"accountId": PROD, "invokedBy": "cloudtrail.amazonaws.com"}, "kms.amazonaws.com",
            "GenerateDataKey", "us-east-1", "cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com",
            {"keySpec": "AES_256", "encryptionContext": {"aws:cloudtrail:arn": f"arn:aws:cloudtrail:us-east-1:{PROD}:trail/org-trail"}},
            event_type="AwsServiceEvent", account=PROD))


def root_user(rng, archive):
    moment = datetime(2026, 11, 10, 21, 40, 5, tzinfo=timezone.utc)
    identity = {"type": "Root", "principalId": PROD, "arn": f"arn:aws:iam::{PROD}:root", "accountId": PROD, "accessKeyId": ""}
    archive.add(PROD, "us-east-1", event(
        rng, moment, identity, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", "198.51.100.201", FIREFOX, None,
        {"ConsoleLogin": "Success"}, read_only=False,
        extra={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No"},
        event_type="AwsConsoleSignIn"))
    key = key_id("root")
    for offset, (name, request) in enumerate([
        ("ListUsers", None), ("ListAccessKeys", None), ("GetAccountSummary", None), ("ListAttachedUserPolicies", {"userName": "alice"}),
    ]):
        archive.add(PROD, "us-east-1", event(
            rng, moment + timedelta(minutes=20 + offset * 3), root(PROD, key), "iam.amazonaws.com", name, "us-east-1",
            "198.51.100.201", "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9", request))


def bob(rng, archive):
    key = key_id("bob")
    identity = iam_user(PROD, "bob", key)
    moment = datetime(2026, 11, 20, 3, 12, 0, tzinfo=timezone.utc)
    archive.add(PROD, "us-east-1", event(rng, moment, identity, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", "185.220.101.33", TRUFFLEHOG))
    probes = [
        ("iam.amazonaws.com", "ListUsers"), ("iam.amazonaws.com", "ListRoles"), ("secretsmanager.amazonaws.com", "ListSecrets"),
        ("ec2.amazonaws.com", "DescribeInstances"), ("lambda.amazonaws.com", "ListFunctions20150331"),
        ("rds.amazonaws.com", "DescribeDBInstances"), ("iam.amazonaws.com", "ListAccessKeys"), ("organizations.amazonaws.com", "DescribeOrganization"),
    ]
    for i in range(24):
        source, name = probes[i % len(probes)]
        archive.add(PROD, "us-east-1", event(
            rng, moment + timedelta(minutes=1, seconds=i * 17), identity, source, name, "us-east-1", "185.220.101.33",
            "python-requests/2.32.3", None,
            error=("AccessDenied", f"User: arn:aws:iam::{PROD}:user/bob is not authorized to perform: {source.split('.')[0]}:{name}")))
    archive.add(PROD, "us-east-1", event(
        rng, moment + timedelta(minutes=9), identity, "s3.amazonaws.com", "ListBuckets", "us-east-1", "185.220.101.33",
        "python-requests/2.32.3", {"Host": "s3.amazonaws.com"}))
    archive.add(PROD, "us-east-1", event(
        rng, moment + timedelta(minutes=11), identity, "cloudtrail.amazonaws.com", "StopLogging", "us-east-1",
        "185.220.101.33", "python-requests/2.32.3", {"name": f"arn:aws:cloudtrail:us-east-1:{PROD}:trail/org-trail"},
        None, read_only=False))


def carol(rng, archive):
    key = key_id("carol")
    for day in days(datetime(2026, 11, 2, tzinfo=timezone.utc), END):
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(1, 4)):
            moment = day + timedelta(hours=rng.randint(9, 17), minutes=rng.randint(0, 59))
            region = rng.choice(REGIONS)
            archive.add(DEV, region, event(
                rng, moment, iam_user(DEV, "carol", key), "lambda.amazonaws.com", "ListFunctions20150331", region,
                "192.0.2.44", CLI_LAPTOP, {"functionVersion": "ALL"}))
        session_key = key_id(f"carol-console-{day.date()}", prefix="ASIA")
        identity = role_session(DEV, "Developer", "carol", session_key, console=True)
        moment = day + timedelta(hours=10, minutes=rng.randint(0, 30))
        for call in range(3):
            record = event(rng, moment + timedelta(minutes=call), identity, "cloudformation.amazonaws.com",
                           "DescribeStacks", "eu-west-1", "192.0.2.44", CONSOLE, None)
            record["sessionCredentialFromConsole"] = "true"
            archive.add(DEV, "eu-west-1", record)


def credential_report(folder):
    """The IAM credential report of the prod account as `aws iam get-credential-report` returns it (decoded)."""
    header = [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
        "password_next_rotation", "mfa_active", "access_key_1_active", "access_key_1_last_rotated",
        "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
        "access_key_2_last_used_region", "access_key_2_last_used_service", "cert_1_active", "cert_1_last_rotated",
        "cert_2_active", "cert_2_last_rotated",
    ]
    na = "N/A"
    rows = [
        ["<root_account>", f"arn:aws:iam::{PROD}:root", "2019-03-04T09:12:44+00:00", "not_supported",
         "2026-11-10T21:40:05+00:00", "not_supported", "not_supported", "false",
         "true", "2021-06-02T18:20:31+00:00", "2026-11-10T21:49:05+00:00", "us-east-1", "iam",
         "false", na, na, na, na, "false", na, "false", na],
        ["alice", f"arn:aws:iam::{PROD}:user/alice", "2020-02-11T08:30:00+00:00", "true",
         "2026-11-27T09:01:13+00:00", "2026-06-01T08:00:00+00:00", na, "true",
         "true", "2026-06-01T08:05:00+00:00", "2026-11-27T16:12:00+00:00", "us-east-1", "s3",
         "false", na, na, na, na, "false", na, "false", na],
        ["ci-deploy", f"arn:aws:iam::{PROD}:user/ci-deploy", "2022-01-20T12:00:00+00:00", "false",
         na, na, na, "false",
         "true", "2024-02-11T12:00:00+00:00", "2026-11-28T23:00:00+00:00", "eu-west-1", "ec2",
         "true", "2025-03-01T10:15:00+00:00", na, na, na, "false", na, "false", na],
        ["legacy-backup", f"arn:aws:iam::{PROD}:user/legacy-backup", "2019-07-01T00:00:00+00:00", "false",
         na, na, na, "false",
         "true", "2023-05-20T14:30:00+00:00", "2026-08-20T02:05:00+00:00", "us-east-1", "s3",
         "false", na, na, na, na, "false", na, "false", na],
        ["bob", f"arn:aws:iam::{PROD}:user/bob", "2026-10-14T10:02:11+00:00", "false",
         na, na, na, "false",
         "true", "2026-10-14T10:02:59+00:00", "2026-11-20T03:23:00+00:00", "us-east-1", "cloudtrail",
         "false", na, na, na, na, "false", na, "false", na],
        ["svc-reporting", f"arn:aws:iam::{PROD}:user/svc-reporting", "2026-01-15T09:00:00+00:00", "false",
         na, na, na, "false",
         "true", "2026-01-15T09:01:00+00:00", na, na, na,
         "false", na, na, na, na, "false", na, "false", na],
    ]
    with open(os.path.join(folder, "credential-report.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def digest_file(folder):
    """A digest file in its own folder, as CloudTrail writes them: keytrail must skip it."""
    path = os.path.join(folder, "AWSLogs", PROD, "CloudTrail-Digest", "us-east-1", "2026", "11", "28")
    os.makedirs(path, exist_ok=True)
    digest = {
        "awsAccountId": PROD, "digestStartTime": "2026-11-28T22:00:00Z", "digestEndTime": "2026-11-28T23:00:00Z",
        "digestS3Bucket": "org-trail-logs", "digestS3Object": f"AWSLogs/{PROD}/CloudTrail-Digest/us-east-1/2026/11/28/{PROD}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261128T230000Z.json.gz",
        "digestPublicKeyFingerprint": "4ff08d7cbb5bba7b2fd2bd0ff62e4c35", "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": "2026-11-28T22:59:58Z", "oldestEventTime": "2026-11-28T22:00:03Z",
        "previousDigestS3Bucket": "org-trail-logs", "previousDigestHashValue": "0" * 64,
        "previousDigestHashAlgorithm": "SHA-256", "previousDigestSignature": "0" * 64, "logFiles": [],
    }
    write_gzip(os.path.join(path, f"{PROD}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261128T230000Z.json.gz"),
               json.dumps(digest, separators=(",", ":")))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "SampleLogs"
    rng = random.Random(20261128)
    archive = Archive()
    for actor in (alice, ci_deploy, legacy_backup, app_role, root_user, bob, carol):
        actor(rng, archive)
    records = archive.write(folder)
    credential_report(folder)
    digest_file(folder)
    print(f"wrote {len(archive.files)} log files, {records} records, to {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
