"""Runs S3 Select through boto3 the way applications do.

  select_check.py put BUCKET KEY FILE [NONE|GZIP|BZIP2]
      upload FILE, compressed as asked
  select_check.py select BUCKET KEY REQUEST.json
      run select_object_content with the Expression, InputSerialization,
      OutputSerialization (and optional RequestProgress) of REQUEST.json;
      print one JSON document: the records (text), the event types seen
      in order, the Stats, or the error code.

Reads the endpoint and credentials from the environment (AWS_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
"""
import bz2
import gzip
import json
import os
import sys

import boto3
import botocore
from botocore.config import Config


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def put(bucket, key, path, compression="NONE"):
    with open(path, "rb") as f:
        body = f.read()
    if compression == "GZIP":
        body = gzip.compress(body)
    elif compression == "BZIP2":
        body = bz2.compress(body)
    s3 = client()
    try:
        s3.create_bucket(Bucket=bucket)
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    print("ok")


def select(bucket, key, request_path):
    with open(request_path) as f:
        req = json.load(f)
    out = {"records": "", "events": [], "stats": None, "error": None}
    try:
        resp = client().select_object_content(Bucket=bucket, Key=key, ExpressionType="SQL", **req)
        records = []
        for event in resp["Payload"]:
            kind = next(iter(event))
            out["events"].append(kind)
            if kind == "Records":
                records.append(event["Records"]["Payload"])
            elif kind == "Stats":
                out["stats"] = event["Stats"]["Details"]
        out["records"] = b"".join(records).decode("utf-8")
    except botocore.exceptions.EventStreamError as e:
        out["error"] = e.response["Error"]["Code"]
    except botocore.exceptions.ClientError as e:
        out["error"] = e.response["Error"]["Code"]
        out["message"] = e.response["Error"].get("Message", "")
    print(json.dumps(out))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "put":
        put(*args)
    elif cmd == "select":
        select(*args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
