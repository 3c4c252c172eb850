"""Run S3 calls with boto3 as different principals; report each outcome.

Reads a JSON document on stdin:
  {"endpoint": URL, "verify": bool,
   "steps": [{"key": ACCESS_KEY or null (anonymous), "secret": SECRET,
              "op": "get_object", "params": {...}}]}
and prints one JSON list: per step {"code": "OK" or the S3 error code,
"status": HTTP status, "body": text of a GetObject/GetBucketPolicy body,
"public": IsPublic of GetBucketPolicyStatus}.
"""
import json
import sys

import boto3
import urllib3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

urllib3.disable_warnings()


def client(endpoint, verify, key, secret, cache):
    if (key, secret) in cache:
        return cache[(key, secret)]
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
    if key is None:
        cfg = cfg.merge(Config(signature_version=UNSIGNED))
    c = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id=key or "x", aws_secret_access_key=secret or "x",
                     config=cfg, verify=verify)
    cache[(key, secret)] = c
    return c


def run(step, c):
    try:
        resp = getattr(c, step["op"])(**(step.get("params") or {}))
    except ClientError as e:
        return {"code": e.response["Error"]["Code"],
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "message": e.response["Error"].get("Message", "")}
    out = {"code": "OK", "status": resp["ResponseMetadata"]["HTTPStatusCode"]}
    if "Body" in resp:
        out["body"] = resp["Body"].read().decode("utf-8", "replace")
    if "Policy" in resp:
        out["body"] = resp["Policy"]
    if "PolicyStatus" in resp:
        out["public"] = resp["PolicyStatus"]["IsPublic"]
    if "Grants" in resp:
        out["body"] = json.dumps([g["Permission"] for g in resp["Grants"]])
    if "OwnershipControls" in resp:
        out["body"] = resp["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    if "PublicAccessBlockConfiguration" in resp:
        out["body"] = json.dumps(resp["PublicAccessBlockConfiguration"], sort_keys=True)
    if "Buckets" in resp:
        out["body"] = json.dumps([b["Name"] for b in resp["Buckets"]])
    if "Contents" in resp:
        out["body"] = json.dumps([o["Key"] for o in resp["Contents"]])
    return out


def main():
    doc = json.load(sys.stdin)
    cache = {}
    results = []
    for step in doc["steps"]:
        c = client(doc["endpoint"], doc.get("verify", True), step.get("key"), step.get("secret"), cache)
        results.append(run(step, c))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
