package s3api

import (
	"reflect"
	"runtime"
	"strings"
)

// handlerName names the operation a handler serves: putObject serves
// PutObject.
func handlerName(h handlerFunc) string {
	if h == nil {
		return ""
	}
	name := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	name = strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm")
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// operationActions maps each operation to the IAM action it needs. The
// operations whose action depends on the request (a version ID, a key)
// are resolved by action.
var operationActions = map[string]string{
	"ListBuckets":          "s3:ListAllMyBuckets",
	"CreateBucket":         "s3:CreateBucket",
	"DeleteBucket":         "s3:DeleteBucket",
	"HeadBucket":           "s3:ListBucket",
	"GetBucketLocation":    "s3:GetBucketLocation",
	"PutBucketVersioning":  "s3:PutBucketVersioning",
	"GetBucketVersioning":  "s3:GetBucketVersioning",
	"PutBucketTagging":     "s3:PutBucketTagging",
	"GetBucketTagging":     "s3:GetBucketTagging",
	"DeleteBucketTagging":  "s3:PutBucketTagging",
	"ListObjectsV1":        "s3:ListBucket",
	"ListObjectsV2":        "s3:ListBucket",
	"ListObjectVersions":   "s3:ListBucketVersions",
	"ListMultipartUploads": "s3:ListBucketMultipartUploads",

	"PutBucketEncryption":        "s3:PutEncryptionConfiguration",
	"GetBucketEncryption":        "s3:GetEncryptionConfiguration",
	"DeleteBucketEncryption":     "s3:PutEncryptionConfiguration",
	"PutBucketPolicy":            "s3:PutBucketPolicy",
	"GetBucketPolicy":            "s3:GetBucketPolicy",
	"DeleteBucketPolicy":         "s3:DeleteBucketPolicy",
	"GetBucketPolicyStatus":      "s3:GetBucketPolicyStatus",
	"PutPublicAccessBlock":       "s3:PutBucketPublicAccessBlock",
	"GetPublicAccessBlock":       "s3:GetBucketPublicAccessBlock",
	"DeletePublicAccessBlock":    "s3:PutBucketPublicAccessBlock",
	"PutOwnershipControls":       "s3:PutBucketOwnershipControls",
	"GetOwnershipControls":       "s3:GetBucketOwnershipControls",
	"DeleteOwnershipControls":    "s3:PutBucketOwnershipControls",
	"PutBucketCors":              "s3:PutBucketCORS",
	"GetBucketCors":              "s3:GetBucketCORS",
	"DeleteBucketCors":           "s3:PutBucketCORS",
	"PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
	"GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
	"PutBucketNotification":      "s3:PutBucketNotification",
	"GetBucketNotification":      "s3:GetBucketNotification",
	"PutBucketLifecycle":         "s3:PutLifecycleConfiguration",
	"GetBucketLifecycle":         "s3:GetLifecycleConfiguration",
	"DeleteBucketLifecycle":      "s3:PutLifecycleConfiguration",
	"PutBucketReplication":       "s3:PutReplicationConfiguration",
	"GetBucketReplication":       "s3:GetReplicationConfiguration",
	"DeleteBucketReplication":    "s3:PutReplicationConfiguration",

	"PutObject":               "s3:PutObject",
	"CopyObject":              "s3:PutObject",
	"CreateMultipartUpload":   "s3:PutObject",
	"UploadPart":              "s3:PutObject",
	"UploadPartCopy":          "s3:PutObject",
	"CompleteMultipartUpload": "s3:PutObject",
	"AbortMultipartUpload":    "s3:AbortMultipartUpload",
	"ListParts":               "s3:ListMultipartUploadParts",
	"PutObjectRetention":      "s3:PutObjectRetention",
	"GetObjectRetention":      "s3:GetObjectRetention",
	"PutObjectLegalHold":      "s3:PutObjectLegalHold",
	"GetObjectLegalHold":      "s3:GetObjectLegalHold",
	"RestoreObject":           "s3:RestoreObject",
	"SelectObjectContent":     "s3:GetObject",
}

// versionedActions are the actions that become another with a version ID
// in the request.
var versionedActions = map[string]string{
	"s3:GetObject":           "s3:GetObjectVersion",
	"s3:DeleteObject":        "s3:DeleteObjectVersion",
	"s3:GetObjectTagging":    "s3:GetObjectVersionTagging",
	"s3:PutObjectTagging":    "s3:PutObjectVersionTagging",
	"s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging",
	"s3:GetObjectAcl":        "s3:GetObjectVersionAcl",
	"s3:PutObjectAcl":        "s3:PutObjectVersionAcl",
}

// action returns the IAM action of an operation on the request, or ""
// for an operation this table does not know.
func action(op string, rq *request) string {
	a, ok := operationActions[op]
	if !ok {
		a = contextualAction(op, rq)
	}
	if v, ok := versionedActions[a]; ok && rq.query.Get("versionId") != "" {
		return v
	}
	return a
}

// contextualAction resolves the operations served by one handler for
// both buckets and objects.
func contextualAction(op string, rq *request) string {
	onObject := rq.key != ""
	switch op {
	case "GetObject", "HeadObject":
		return "s3:GetObject"
	case "DeleteObject":
		return "s3:DeleteObject"
	case "PutObjectTagging", "GetObjectTagging", "DeleteObjectTagging":
		return "s3:" + op
	case "PutACL":
		if onObject {
			return "s3:PutObjectAcl"
		}
		return "s3:PutBucketAcl"
	case "GetACL":
		if onObject {
			return "s3:GetObjectAcl"
		}
		return "s3:GetBucketAcl"
	}
	return ""
}

// isPolicyAction tells the actions an account's root may always take on
// its bucket, whatever its policy says, so that no policy locks it out.
func isPolicyAction(a string) bool {
	switch a {
	case "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy":
		return true
	}
	return false
}

// resourceARN is the ARN of a bucket, or of an object when key is set.
func resourceARN(bucket, key string) string {
	switch {
	case bucket == "":
		return "*"
	case key == "":
		return "arn:aws:s3:::" + bucket
	}
	return "arn:aws:s3:::" + bucket + "/" + key
}
