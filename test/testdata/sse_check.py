"""Drives cairn's encryption at rest with boto3 over HTTPS, as S3 users do.

Usage: sse_check.py CAIRN DATA_DIR KMS_KEY_ID BIG_FILE SMALL_FILE

Reads the endpoint and credentials from the environment; the CA bundle
from AWS_CA_BUNDLE. Runs `CAIRN --data DATA_DIR admin kms ...` while the
server runs. Exits non-zero with a message on the first behaviour that
differs from S3's.
"""
import hashlib
import io
import os
import subprocess
import sys

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config


def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)


def error_of(fn, **kw):
    """The S3 error code and HTTP status a call fails with."""
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def main():
    cairn, data, key_id, big_file, small_file = sys.argv[1:6]
    big, small = open(big_file, "rb").read(), open(small_file, "rb").read()
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1",
                      config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                    retries={"max_attempts": 1}))
    kms = lambda *args: subprocess.run([cairn, "--data", data, "admin", "kms", *args], check=True, capture_output=True)
    b = "sse"
    s3.create_bucket(Bucket=b)
    # Responses name a KMS key by its ARN, as AWS does; requests may name
    # it by ID, alias or either ARN.
    key_arn = "arn:aws:kms:us-east-1:000000000001:key/" + key_id

    # SSE-S3: headers on PUT, HEAD and GET; the ETag is the plaintext's MD5.
    for key, body in (("s3/big", big), ("s3/small", small)):
        put = s3.put_object(Bucket=b, Key=key, Body=body, ServerSideEncryption="AES256")
        check(put["ServerSideEncryption"] == "AES256", "PUT answers x-amz-server-side-encryption: AES256")
        check(put["ETag"].strip('"') == hashlib.md5(body).hexdigest(), "SSE-S3 ETag is the MD5 of the data")
        head = s3.head_object(Bucket=b, Key=key)
        check(head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == len(body), "HEAD of SSE-S3")
        got = s3.get_object(Bucket=b, Key=key)
        check(got["ServerSideEncryption"] == "AES256" and got["Body"].read() == body, "GET of SSE-S3")
    r = s3.get_object(Bucket=b, Key="s3/big", Range="bytes=65530-200000")
    check(r["Body"].read() == big[65530:200001] and r["ContentRange"] == "bytes 65530-200000/%d" % len(big),
          "range GET of SSE-S3")

    # SSE-KMS with a created key, named by alias; then rotated.
    put = s3.put_object(Bucket=b, Key="kms/big", Body=big, ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/e2e")
    check(put["ServerSideEncryption"] == "aws:kms" and put["SSEKMSKeyId"] == key_arn, "PUT of SSE-KMS names the key: %s" % put.get("SSEKMSKeyId"))
    s3.put_object(Bucket=b, Key="kms/small", Body=small, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id,
                  BucketKeyEnabled=True)
    head = s3.head_object(Bucket=b, Key="kms/small")
    check(head["SSEKMSKeyId"] == key_arn and head.get("BucketKeyEnabled") is True, "HEAD of SSE-KMS")
    kms("rotate", "alias/e2e")
    check(s3.get_object(Bucket=b, Key="kms/big")["Body"].read() == big, "object sealed before the rotation reads")
    s3.put_object(Bucket=b, Key="kms/after", Body=small, ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/e2e")
    check(s3.get_object(Bucket=b, Key="kms/after")["Body"].read() == small, "object sealed after the rotation reads")
    code, _ = error_of(s3.put_object, Bucket=b, Key="kms/x", Body=b"x", ServerSideEncryption="aws:kms",
                       SSEKMSKeyId="alias/none")
    check(code == "KMS.NotFoundException", "unknown KMS key: %s" % code)

    # Multipart with SSE-KMS (the default key).
    up = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)
    mp = big * 11
    s3.upload_fileobj(io.BytesIO(mp), b, "kms/multipart", ExtraArgs={"ServerSideEncryption": "aws:kms"}, Config=up)
    head = s3.head_object(Bucket=b, Key="kms/multipart")
    check(head["ServerSideEncryption"] == "aws:kms" and head["ContentLength"] == len(mp), "HEAD of a multipart SSE-KMS")
    check(s3.get_object(Bucket=b, Key="kms/multipart")["Body"].read() == mp, "GET of a multipart SSE-KMS")

    # DSSE-KMS.
    s3.put_object(Bucket=b, Key="dsse/big", Body=big, ServerSideEncryption="aws:kms:dsse", SSEKMSKeyId=key_id)
    got = s3.get_object(Bucket=b, Key="dsse/big")
    check(got["ServerSideEncryption"] == "aws:kms:dsse" and got["Body"].read() == big, "GET of DSSE-KMS")

    # SSE-C: the key on every request, checked.
    ck, wrong = os.urandom(32), os.urandom(32)
    c = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": ck}
    for key, body in (("c/big", big), ("c/small", small)):
        put = s3.put_object(Bucket=b, Key=key, Body=body, **c)
        check(put["SSECustomerAlgorithm"] == "AES256", "PUT of SSE-C echoes the algorithm")
        check(s3.get_object(Bucket=b, Key=key, **c)["Body"].read() == body, "GET of SSE-C with its key")
        check(s3.head_object(Bucket=b, Key=key, **c)["SSECustomerKeyMD5"], "HEAD of SSE-C reports the key MD5")
        code, status = error_of(s3.get_object, Bucket=b, Key=key, SSECustomerAlgorithm="AES256", SSECustomerKey=wrong)
        check(status == 403 and code == "AccessDenied", "GET with the wrong SSE-C key: %s %s" % (status, code))
        code, status = error_of(s3.get_object, Bucket=b, Key=key)
        check(status == 400 and code == "InvalidRequest", "GET without the SSE-C key: %s %s" % (status, code))
        _, status = error_of(s3.head_object, Bucket=b, Key=key)
        check(status == 400, "HEAD without the SSE-C key: %s" % status)
    s3.copy_object(Bucket=b, Key="c/copied", CopySource={"Bucket": b, "Key": "c/big"}, ServerSideEncryption="AES256",
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=ck)
    got = s3.get_object(Bucket=b, Key="c/copied")
    check(got["ServerSideEncryption"] == "AES256" and got["Body"].read() == big, "SSE-C copied to SSE-S3")
    s3.upload_fileobj(io.BytesIO(mp), b, "c/multipart", ExtraArgs=c, Config=up)
    check(s3.get_object(Bucket=b, Key="c/multipart", **c)["Body"].read() == mp, "multipart SSE-C")

    # Bucket default encryption.
    d = "sse-default"
    s3.create_bucket(Bucket=d)
    code, status = error_of(s3.get_bucket_encryption, Bucket=d)
    check(status == 404 and code == "ServerSideEncryptionConfigurationNotFoundError", "no default yet: %s" % code)
    s3.put_bucket_encryption(Bucket=d, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id},
        "BucketKeyEnabled": True}]})
    rule = s3.get_bucket_encryption(Bucket=d)["ServerSideEncryptionConfiguration"]["Rules"][0]
    check(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key_id, "GetBucketEncryption")
    s3.put_object(Bucket=d, Key="big", Body=big)
    s3.put_object(Bucket=d, Key="small", Body=small)
    head = s3.head_object(Bucket=d, Key="big")
    check(head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == key_arn, "the default applies")
    s3.delete_bucket_encryption(Bucket=d)
    s3.put_object(Bucket=d, Key="plain", Body=b"plain")
    check("ServerSideEncryption" not in s3.head_object(Bucket=d, Key="plain"), "no default after the delete")

    # A disabled key opens nothing until enabled again.
    kms("disable", key_id)
    code, status = error_of(s3.get_object, Bucket=b, Key="kms/big")
    check(code == "KMS.DisabledException", "GET under a disabled key: %s %s" % (status, code))
    kms("enable", key_id)
    check(s3.get_object(Bucket=b, Key="kms/big")["Body"].read() == big, "GET after the key is enabled again")
    print("ok")


if __name__ == "__main__":
    main()
