#!/usr/bin/env python3
"""Deterministic CloudTrail corpus for keytrail's benchmarks.

Writes AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>Z_<id>.json.gz files,
compact JSON as CloudTrail writes it, with a realistic mix of calls (S3 data events, EC2 and IAM management
calls, STS with long responses, service events without a key). The same arguments always produce byte-identical
files.

Which key signs each event (--locality):
  session  (default) as in real archives: 90% of the keys are temporary ASIA session keys, each alive for about an
           hour (role sessions, rotating instance-profile credentials) and used only then; 10% are long-term AKIA
           keys used throughout with Zipf-like popularity. A file sees the sessions active around its time.
  uniform  the worst case for cache locality: every event picks any of the keys with Zipf-like popularity, so all
           keys are interleaved over the whole period.

    python3 Benchmarks/generate-corpus.py --out Benchmarks/corpus --megabytes 1000 --keys 50000
"""
import argparse
import gzip
import io
import json
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone

ACCOUNTS = ["111122223333", "444455556666", "777788889999"]
REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]
AGENTS = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off command/s3.cp",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.4",
    "aws-sdk-java/2.25.11 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/adaptive",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1",
    "console.amazonaws.com",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
]
S3_CALLS = ["GetObject", "PutObject", "HeadObject", "ListObjects", "GetObjectTagging", "DeleteObject"]
EC2_CALLS = ["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeSubnets", "RunInstances"]
IAM_CALLS = ["GetUser", "ListUsers", "ListAccessKeys", "GetRole", "ListAttachedRolePolicies", "GetAccessKeyLastUsed"]

PREFIX = "AKIA"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def key_id(index, temporary=False):
    rng = random.Random(index * 7919 + (1 if temporary else 0))
    return ("ASIA" if temporary else PREFIX) + "".join(rng.choice(ALPHABET) for _ in range(16))


def zipf_index(rng, count):
    # Inverse transform of a rough power law: index ~ count * u^3 favours small indexes.
    return min(count - 1, int(count * (rng.random() ** 3)))


def identity(rng, key_index, keys):
    account = ACCOUNTS[key_index % len(ACCOUNTS)]
    if key_index % 5 == 4:
        role = f"app-role-{key_index % 97}"
        session = f"session-{key_index}"
        return {
            "type": "AssumedRole",
            "principalId": f"AROA{key_index:016d}:{session}",
            "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
            "accountId": account,
            "accessKeyId": key_id(key_index, temporary=True),
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": f"AROA{key_index:016d}",
                                  "arn": f"arn:aws:iam::{account}:role/{role}", "accountId": account,
                                  "userName": role},
                "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"},
            },
        }, account
    user = f"user{key_index}"
    return {
        "type": "IAMUser",
        "principalId": f"AIDA{key_index:016d}",
        "arn": f"arn:aws:iam::{account}:user/{user}",
        "accountId": account,
        "accessKeyId": key_id(key_index),
        "userName": user,
    }, account


def choose_key(rng, keys, locality, file_index, files):
    if locality == "uniform":
        return zipf_index(rng, keys)
    long_term = max(1, keys // 10)
    sessions = keys - long_term
    if sessions == 0 or rng.random() < 0.4:
        # Long-term keys: indexes 0..long_term-1 map to IAM users (identity() makes every 5th one a role).
        return zipf_index(rng, long_term) * 5 // 4
    # Sessions are laid out along the timeline; about 12 five-minute intervals (an hour) are alive at once.
    position = file_index / max(1, files - 1)
    window = max(1, int(sessions * 12 / max(1, files // len(REGIONS))))
    start = int(position * (sessions - window))
    session = start + rng.randrange(window)
    # Session keys use indexes of the form 5n+4, which identity() turns into assumed-role sessions.
    return long_term * 5 // 4 + session * 5 + 4 - (long_term * 5 // 4) % 5


def event_id(bits):
    """A CloudTrail eventID: a lowercase dashed UUID, as every record AWS writes (and every one in
    ../shared/realdata) has it."""
    text = "%032x" % bits
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def record(rng, when, region, keys, locality="uniform", file_index=0, files=1):
    key_index = choose_key(rng, keys, locality, file_index, files)
    ident, account = identity(rng, key_index, keys)
    ip = f"{(key_index * 37) % 223 + 1}.{(key_index * 11) % 256}.{rng.randrange(4)}.{(key_index % 250) + 1}"
    agent = AGENTS[(key_index + rng.randrange(2)) % len(AGENTS)]
    kind = rng.random()
    event = {"eventVersion": "1.09", "userIdentity": ident, "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if kind < 0.55:
        name = rng.choice(S3_CALLS)
        bucket = f"data-{key_index % 300}"
        obj = f"prefix/{rng.randrange(10**9)}/part-{rng.randrange(10**4):05d}.parquet"
        event.update({
            "eventSource": "s3.amazonaws.com", "eventName": name, "awsRegion": region, "sourceIPAddress": ip,
            "userAgent": "[" + agent + "]",
            "requestParameters": {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": obj},
            "responseElements": None,
            "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                    "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                    "x-amz-id-2": "%032x" % rng.getrandbits(128), "bytesTransferredOut": rng.randrange(10**7)},
            "requestID": "%016X" % rng.getrandbits(64), "eventID": event_id(rng.getrandbits(128)),
            "readOnly": name != "PutObject" and name != "DeleteObject",
            "resources": [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{obj}"},
                          {"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
            "eventType": "AwsApiCall", "managementEvent": False, "recipientAccountId": account,
            "eventCategory": "Data",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"{bucket}.s3.{region}.amazonaws.com"},
        })
    elif kind < 0.80:
        name = rng.choice(EC2_CALLS)
        event.update({
            "eventSource": "ec2.amazonaws.com", "eventName": name, "awsRegion": region, "sourceIPAddress": ip,
            "userAgent": agent,
            "requestParameters": {"maxResults": 1000, "filterSet": {"items": [{"name": "tag:env", "valueSet": {"items": [{"value": "prod"}]}}]}, "instancesSet": {}},
            "responseElements": None,
            "requestID": "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48)),
            "eventID": "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48)),
            "readOnly": name != "RunInstances", "eventType": "AwsApiCall", "managementEvent": True,
            "recipientAccountId": account, "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"ec2.{region}.amazonaws.com"},
        })
        if rng.random() < 0.05:
            event["errorCode"] = "Client.UnauthorizedOperation"
            event["errorMessage"] = "You are not authorized to perform this operation."
    elif kind < 0.90:
        event.update({
            "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "awsRegion": region, "sourceIPAddress": ip,
            "userAgent": agent,
            "requestParameters": {"roleArn": f"arn:aws:iam::{account}:role/deploy-{key_index % 50}",
                                  "roleSessionName": f"s{rng.randrange(10**6)}", "durationSeconds": 3600},
            "responseElements": {"credentials": {"accessKeyId": key_id(rng.randrange(10**6), temporary=True),
                                                 "sessionToken": "IQoJb3JpZ2luX2VjE" + "%0256x" % rng.getrandbits(1024),
                                                 "expiration": "Nov 1, 2026, 11:00:00 PM"},
                                 "assumedRoleUser": {"assumedRoleId": f"AROA{key_index:016d}:s", "arn": f"arn:aws:sts::{account}:assumed-role/deploy/s"}},
            "requestID": "%032x" % rng.getrandbits(128), "eventID": event_id(rng.getrandbits(128)),
            "readOnly": True,
            "resources": [{"ARN": f"arn:aws:iam::{account}:role/deploy", "accountId": account, "type": "AWS::IAM::Role"}],
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": account,
            "eventCategory": "Management",
        })
    elif kind < 0.97:
        name = rng.choice(IAM_CALLS)
        event.update({
            "eventSource": "iam.amazonaws.com", "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": ip,
            "userAgent": agent, "requestParameters": {"userName": f"user{rng.randrange(keys)}"},
            "responseElements": None, "requestID": "%032x" % rng.getrandbits(128),
            "eventID": event_id(rng.getrandbits(128)), "readOnly": True,
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": account,
            "eventCategory": "Management",
        })
    else:
        event = {
            "eventVersion": "1.08", "userIdentity": {"accountId": account, "invokedBy": "cloudtrail.amazonaws.com"},
            "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": "kms.amazonaws.com",
            "eventName": "Decrypt", "awsRegion": region, "sourceIPAddress": "cloudtrail.amazonaws.com",
            "userAgent": "cloudtrail.amazonaws.com",
            "requestParameters": {"encryptionContext": {"aws:cloudtrail:arn": f"arn:aws:cloudtrail:{region}:{account}:trail/org"},
                                  "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
            "responseElements": None, "requestID": "%032x" % rng.getrandbits(128),
            "eventID": event_id(rng.getrandbits(128)), "readOnly": True,
            "eventType": "AwsServiceEvent", "managementEvent": True, "recipientAccountId": account,
            "eventCategory": "Management",
        }
    return event


def write_file(task):
    out, index, records_per_file, keys, start, locality, files = task
    rng = random.Random(index)
    region = REGIONS[index % len(REGIONS)]
    account = ACCOUNTS[index % len(ACCOUNTS)]
    when = start + timedelta(minutes=5 * (index // len(REGIONS)))
    records = []
    for i in range(records_per_file):
        records.append(record(rng, when + timedelta(seconds=i * 300 // records_per_file), region, keys,
                              locality, index, files))
    text = json.dumps({"Records": records}, separators=(",", ":")).encode()
    folder = os.path.join(out, "AWSLogs", account, "CloudTrail", region, when.strftime("%Y/%m/%d"))
    os.makedirs(folder, exist_ok=True)
    name = f"{account}_CloudTrail_{region}_{when.strftime('%Y%m%dT%H%MZ')}_{index:08d}.json.gz"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0, filename="") as zipped:
        zipped.write(text)
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(buffer.getvalue())
    return len(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--megabytes", type=float, default=1000, help="approximate uncompressed JSON size")
    parser.add_argument("--keys", type=int, default=50000)
    parser.add_argument("--records-per-file", type=int, default=1500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--locality", choices=["session", "uniform"], default="session")
    args = parser.parse_args()
    bytes_per_record = 1450
    files = max(1, int(args.megabytes * 1e6 / bytes_per_record / args.records_per_file))
    start = datetime(2026, 8, 1, tzinfo=timezone.utc)
    tasks = [(args.out, i, args.records_per_file, args.keys, start, args.locality, files) for i in range(files)]
    total = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for size in pool.map(write_file, tasks, chunksize=4):
            total += size
    print(f"wrote {files} files, {total / 1e6:.1f} MB of JSON, up to {args.keys} keys ({args.locality} locality),"
          f" to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
