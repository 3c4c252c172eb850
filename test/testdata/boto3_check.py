"""Drives a cairn S3 endpoint with boto3 the way applications do.

Reads the endpoint and credentials from the environment (AWS_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and exits non-zero with a message
on the first behaviour that differs from S3's.
"""
import hashlib
import io
import os
import sys

import boto3
import botocore
from botocore.config import Config


def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)


def main():
    style = sys.argv[1] if len(sys.argv) > 1 else "path"
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": style}, retries={"max_attempts": 1}),
    )
    bucket = "boto-" + style
    s3.create_bucket(Bucket=bucket)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    check(bucket in names, "list_buckets shows the new bucket")

    body = b"hello boto3 " * 1000
    put = s3.put_object(Bucket=bucket, Key="dir/hello.txt", Body=body,
                        ContentType="text/plain", Metadata={"color": "blue"},
                        Tagging="a=1&b=two")
    check(put["ETag"].strip('"') == hashlib.md5(body).hexdigest(), "put_object ETag is the MD5")
    got = s3.get_object(Bucket=bucket, Key="dir/hello.txt")
    check(got["Body"].read() == body, "get_object returns the body")
    check(got["ContentType"] == "text/plain", "content type round-trips")
    check(got["Metadata"] == {"color": "blue"}, "user metadata round-trips: %r" % got["Metadata"])
    check(got.get("TagCount") == 2, "tag count is reported")

    part = s3.get_object(Bucket=bucket, Key="dir/hello.txt", Range="bytes=6-10")
    check(part["Body"].read() == body[6:11], "ranged get returns the range")
    check(part["ContentRange"] == "bytes 6-10/%d" % len(body), "Content-Range: %s" % part["ContentRange"])

    # Uploads with the checksums current SDKs compute.
    for alg in ["CRC32", "CRC32C", "SHA1", "SHA256"]:
        r = s3.put_object(Bucket=bucket, Key="sum/" + alg, Body=body, ChecksumAlgorithm=alg)
        check(("Checksum" + alg) in r, "put with %s returns its checksum" % alg)
        h = s3.head_object(Bucket=bucket, Key="sum/" + alg, ChecksumMode="ENABLED")
        check(h.get("Checksum" + alg) == r["Checksum" + alg], "%s checksum stored" % alg)

    # Multipart through the transfer manager: 3 parts of 5 MiB.
    big = os.urandom(15 * 1024 * 1024 + 123)
    cfg = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_fileobj(io.BytesIO(big), bucket, "big.bin", Config=cfg)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    check(head["ContentLength"] == len(big), "multipart object size")
    check(head["ETag"].endswith('-4"'), "multipart ETag has the part count: %s" % head["ETag"])
    out = io.BytesIO()
    s3.download_fileobj(bucket, "big.bin", out, Config=cfg)
    check(out.getvalue() == big, "multipart object reads back")

    # Listing with a paginator, delimiter and url encoding.
    for i in range(25):
        s3.put_object(Bucket=bucket, Key="many/k%03d" % i, Body=b"x")
    s3.put_object(Bucket=bucket, Key="many/sub dir/x y+z", Body=b"y")
    keys, prefixes = [], []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="many/", Delimiter="/", PaginationConfig={"PageSize": 7}):
        keys += [o["Key"] for o in page.get("Contents", [])]
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    check(keys == ["many/k%03d" % i for i in range(25)], "paginated keys: %r" % keys)
    check(prefixes == ["many/sub dir/"], "common prefixes: %r" % prefixes)
    v1keys, v1prefixes = [], []
    for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, Delimiter="/", PaginationConfig={"PageSize": 2}):
        v1keys += [o["Key"] for o in page.get("Contents", [])]
        v1prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    check(v1prefixes == ["dir/", "many/", "sum/"], "list v1 pages by NextMarker, each prefix once: %r" % v1prefixes)
    check(v1keys == ["big.bin"], "list v1 top-level keys: %r" % v1keys)
    v1 = s3.list_objects(Bucket=bucket, Prefix="many/sub dir/")
    check([o["Key"] for o in v1["Contents"]] == ["many/sub dir/x y+z"], "list v1 decodes keys")

    # Copy with metadata replace, conditional requests, delete_objects.
    s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "dir/hello.txt"},
                   MetadataDirective="REPLACE", Metadata={"color": "red"}, ContentType="text/x-copy")
    h = s3.head_object(Bucket=bucket, Key="copy.txt")
    check(h["Metadata"] == {"color": "red"} and h["ContentType"] == "text/x-copy", "copy with REPLACE")
    try:
        s3.get_object(Bucket=bucket, Key="copy.txt", IfNoneMatch=h["ETag"])
        check(False, "If-None-Match on the current ETag answers 304")
    except botocore.exceptions.ClientError as e:
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 304, "304 for If-None-Match")
    # Conditional write (older boto3 has no IfNoneMatch parameter: send the header).
    def if_none_match(request, **kwargs):
        request.headers["If-None-Match"] = "*"
    s3.meta.events.register("before-sign.s3.PutObject", if_none_match)
    try:
        s3.put_object(Bucket=bucket, Key="copy.txt", Body=b"no")
        check(False, "If-None-Match: * on an existing key fails")
    except botocore.exceptions.ClientError as e:
        check(e.response["Error"]["Code"] == "PreconditionFailed", "PreconditionFailed for If-None-Match: *")
    s3.meta.events.unregister("before-sign.s3.PutObject", if_none_match)
    res = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "many/k%03d" % i} for i in range(25)]})
    check(len(res.get("Deleted", [])) == 25, "delete_objects deletes 25 keys")
    try:
        s3.head_object(Bucket=bucket, Key="many/k000")
        check(False, "deleted key is gone")
    except botocore.exceptions.ClientError as e:
        check(e.response["Error"]["Code"] == "404", "head of a deleted key: 404")

    # Pre-signed GET through the SDK.
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello.txt"}, ExpiresIn=60)
    import urllib.request
    check(urllib.request.urlopen(url).read() == body, "boto3 presigned URL reads the object")
    print("ok")


if __name__ == "__main__":
    main()
