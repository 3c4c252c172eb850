"""Runs S3 Select through boto3 the way applications do.

  select_check.py put BUCKET KEY FILE [NONE|GZIP|BZIP2]
      upload FILE, compressed as asked
  select_check.py select BUCKET REQUESTS.json
      run select_object_content for each request of the JSON list in
      REQUESTS.json (Key, Expression, InputSerialization,
      OutputSerialization, optional RequestProgress); print a JSON list
      with, for each, the records (text), the event types seen in order,
      the Stats, or the error code.

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


def select(bucket, requests_path):
    with open(requests_path) as f:
        requests = json.load(f)
    s3 = client()
    print(json.dumps([select_one(s3, bucket, req) for req in requests]))


def select_one(s3, bucket, req):
    out = {"records": "", "events": [], "stats": None, "error": None}
    try:
        resp = s3.select_object_content(Bucket=bucket, ExpressionType="SQL", **req)
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
    return out


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
