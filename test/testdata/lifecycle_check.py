"""Watches lifecycle rules and restores work on a cairn serve whose
lifecycle day is one second (--lifecycle-day 1s), through boto3.

Reads the endpoint and credentials from the environment. Every change the
rules make is awaited by polling with a deadline far above the time it
should take; the script exits non-zero with a message on the first
behaviour that differs from S3's, and prints "ok" at the end.
"""
import os
import sys
import time

import boto3
import botocore
from botocore.config import Config

DEADLINE = 90  # seconds; the rules below fire within a few lifecycle days


def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)


def eventually(what, fn):
    """Polls fn until it returns a true value, failing after DEADLINE."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        got = fn()
        if got:
            return got
        time.sleep(0.1)
    check(False, what + f" within {DEADLINE}s")


def error_code(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def versions(s3, bucket, prefix):
    res = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
    return res.get("Versions", []), res.get("DeleteMarkers", [])


def expiration_and_uploads(s3):
    b = "lc-plain"
    s3.create_bucket(Bucket=b)
    s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 3}},
        {"ID": "decade", "Status": "Enabled", "Filter": {"Prefix": "long/"}, "Expiration": {"Days": 3650}},
        {"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": ""},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
    ]})
    put = s3.put_object(Bucket=b, Key="tmp/a", Body=b"data")
    check('rule-id="tmp"' in put.get("Expiration", ""), "PUT reports x-amz-expiration: %r" % put.get("Expiration"))
    s3.put_object(Bucket=b, Key="keep/a", Body=b"data")
    check("Expiration" not in s3.head_object(Bucket=b, Key="keep/a"), "no x-amz-expiration outside the rules")
    s3.put_object(Bucket=b, Key="long/a", Body=b"data")
    for name, resp in (("HEAD", s3.head_object(Bucket=b, Key="long/a")), ("GET", s3.get_object(Bucket=b, Key="long/a"))):
        exp = resp.get("Expiration", "")
        check(exp.startswith('expiry-date="') and exp.endswith('rule-id="decade"'), "%s x-amz-expiration: %r" % (name, exp))
    upload = s3.create_multipart_upload(Bucket=b, Key="up/big")["UploadId"]
    eventually("tmp/a expired", lambda: error_code(lambda: s3.head_object(Bucket=b, Key="tmp/a"))[1] == 404)
    check(s3.get_object(Bucket=b, Key="keep/a")["Body"].read() == b"data", "keep/a, outside the rule, is kept")
    eventually("the stale multipart upload aborted",
               lambda: not any(u["UploadId"] == upload for u in s3.list_multipart_uploads(Bucket=b).get("Uploads", [])))


def versioned(s3):
    b = "lc-vers"
    s3.create_bucket(Bucket=b)
    s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "e/"}, "Expiration": {"Days": 2},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}},
        {"ID": "keep-two", "Status": "Enabled", "Filter": {"Prefix": "n/"},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 2}},
    ]})
    s3.put_object(Bucket=b, Key="e/k", Body=b"data")
    for i in range(5):
        s3.put_object(Bucket=b, Key="n/k", Body=b"v%d" % i)
    eventually("e/k hidden by a lifecycle delete marker",
               lambda: any(m["IsLatest"] for m in versions(s3, b, "e/")[1]))
    eventually("e/k's noncurrent version and then its lone delete marker removed",
               lambda: versions(s3, b, "e/") == ([], []))
    eventually("n/k down to the current and two noncurrent versions",
               lambda: len(versions(s3, b, "n/")[0]) == 3)
    time.sleep(3)  # three more lifecycle days: the two newest stay for good
    kept = versions(s3, b, "n/")[0]
    check(len(kept) == 3, "n/k keeps 3 versions, has %d" % len(kept))
    check(s3.get_object(Bucket=b, Key="n/k")["Body"].read() == b"v4", "n/k's current version is the last write")


def archive(s3):
    b = "lc-arch"
    s3.create_bucket(Bucket=b)
    s3.put_object(Bucket=b, Key="deep", Body=b"data", StorageClass="DEEP_ARCHIVE")
    check(s3.head_object(Bucket=b, Key="deep")["StorageClass"] == "DEEP_ARCHIVE", "HEAD reports DEEP_ARCHIVE")
    check(error_code(lambda: s3.get_object(Bucket=b, Key="deep")) == ("InvalidObjectState", 403),
          "GET of a DEEP_ARCHIVE object answers InvalidObjectState")
    s3.put_object(Bucket=b, Key="ir", Body=b"data", StorageClass="GLACIER_IR")
    check(s3.get_object(Bucket=b, Key="ir")["Body"].read() == b"data", "GLACIER_IR is read at once")
    listed = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=b)["Contents"]}
    check(listed == {"deep": "DEEP_ARCHIVE", "ir": "GLACIER_IR"}, "LIST reports classes: %r" % listed)
    check(error_code(lambda: s3.put_object(Bucket=b, Key="x", Body=b"", StorageClass="COLD")) == ("InvalidStorageClass", 400),
          "an unknown class answers InvalidStorageClass")

    s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "cold", "Status": "Enabled", "Filter": {"Prefix": "g/"},
         "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]},
    ]})
    s3.put_object(Bucket=b, Key="g/k", Body=b"data")
    eventually("g/k transitioned to GLACIER",
               lambda: s3.head_object(Bucket=b, Key="g/k").get("StorageClass") == "GLACIER")
    check(error_code(lambda: s3.get_object(Bucket=b, Key="g/k")) == ("InvalidObjectState", 403),
          "GET of a transitioned object answers InvalidObjectState")
    first = s3.restore_object(Bucket=b, Key="g/k", RestoreRequest={"Days": 60, "GlacierJobParameters": {"Tier": "Bulk"}})
    check(first["ResponseMetadata"]["HTTPStatusCode"] == 202, "first restore answers 202")
    # Bulk takes half a second here: a second request meets the restore in
    # progress, or (on a slow machine) the completed one.
    code = error_code(lambda: s3.restore_object(Bucket=b, Key="g/k", RestoreRequest={"Days": 60}))
    check(code in (("RestoreAlreadyInProgress", 409), (None, 200)), "second restore: %r" % (code,))
    eventually("the restore completed",
               lambda: 'ongoing-request="false"' in s3.head_object(Bucket=b, Key="g/k").get("Restore", ""))
    check(s3.get_object(Bucket=b, Key="g/k")["Body"].read() == b"data", "GET after the restore reads the data")
    again = s3.restore_object(Bucket=b, Key="g/k", RestoreRequest={"Days": 90})
    check(again["ResponseMetadata"]["HTTPStatusCode"] == 200, "restore of a restored object answers 200")


def main():
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    expiration_and_uploads(s3)
    versioned(s3)
    archive(s3)
    print("ok")


if __name__ == "__main__":
    main()
