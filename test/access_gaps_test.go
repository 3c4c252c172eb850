package test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// denyAnonGet refuses anonymous reads of bucket's objects.
func denyAnonGet(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"NoAnon","Effect":"Deny","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*",
		"Condition":{"StringEquals":{"aws:userid":"anonymous"}}}]}`
}

// TestAccessPolicyChangesAtOnce: the server keeps bucket policies parsed,
// yet every PutBucketPolicy and DeleteBucketPolicy decides the very next
// request, also when a policy comes back to a content seen before.
func TestAccessPolicyChangesAtOnce(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	get := func(want string) s3Step {
		return s3Step{as: anon, op: "get_object", params: p("Bucket", "cached", "Key", "page"), want: want}
	}
	put := func(doc string) s3Step {
		return s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "cached", "Policy", doc), want: "OK"}
	}
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "cached"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "cached", "Key", "page", "Body", "hello"), want: "OK"},
		get("AccessDenied"),
		put(publicRead("cached")),
		get("OK"), get("OK"),
		put(denyAnonGet("cached")),
		get("AccessDenied"),
		put(publicRead("cached")),
		get("OK"),
		s3Step{as: rootKey, op: "delete_bucket_policy", params: p("Bucket", "cached"), want: "OK"},
		get("AccessDenied"),
		put(publicRead("cached")),
		get("OK"),
	)
}

// mfaCodes hands out x-amz-mfa values of one device, each with a code
// not handed out before: the server accepts a code once.
type mfaCodes struct {
	serial, secret string
	used           map[int64]bool
}

// next is an x-amz-mfa value with an unused code of the current time
// step or the one after (which the server accepts too), waiting for a
// new step when both were used.
func (m *mfaCodes) next(t *testing.T) string {
	t.Helper()
	if m.used == nil {
		m.used = map[int64]bool{}
	}
	for {
		now := time.Now().Unix() / 30
		for _, step := range []int64{now, now + 1} {
			if !m.used[step] {
				m.used[step] = true
				return mfaHeader(t, m.serial, m.secret, time.Unix(step*30, 0))
			}
		}
		time.Sleep(time.Until(time.Unix((now+1)*30, 0)))
	}
}

// requireMFAForVersionDeletes is the bucket policy of the S3 guide that
// refuses removing a version without MFA.
func requireMFAForVersionDeletes(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"RequireMFA","Effect":"Deny","Principal":"*",
		"Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::` + bucket + `/*",
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`
}

// TestMFAConditionAndReplay: a bucket policy that denies
// s3:DeleteObjectVersion without MFA (aws:MultiFactorAuthPresent) lets
// a delete with a valid x-amz-mfa through and refuses one without, with
// a wrong code, or with a code already used, before and after a restart.
func TestMFAConditionAndReplay(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServeIn(t, data)
	serial, secret := mfaDevice(t, s, "root")
	codes := &mfaCodes{serial: serial, secret: secret}
	s.aws(t, "s3api", "create-bucket", "--bucket", "vault")
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "vault", "--versioning-configuration", "Status=Enabled")
	s.aws(t, "s3api", "put-bucket-policy", "--bucket", "vault", "--policy", requireMFAForVersionDeletes("vault"))
	ids := []string{putVersion(t, s, "vault", "ledger"), putVersion(t, s, "vault", "ledger"), putVersion(t, s, "vault", "ledger")}
	del := func(id string) []string {
		return []string{"s3api", "delete-object", "--bucket", "vault", "--key", "ledger", "--version-id", id}
	}
	s.awsFails(t, "AccessDenied", del(ids[0])...)
	s.awsFails(t, "AccessDenied", append(del(ids[0]), "--mfa", wrongMFA(t, serial, secret))...)
	used := codes.next(t)
	s.aws(t, append(del(ids[0]), "--mfa", used)...)
	s.awsFails(t, "AccessDenied", append(del(ids[1]), "--mfa", used)...)
	s.aws(t, append(del(ids[1]), "--mfa", codes.next(t))...)
	// Deleting without a version ID is s3:DeleteObject, which the policy
	// leaves alone.
	s.aws(t, "s3api", "delete-object", "--bucket", "vault", "--key", "ledger")

	last := codes.next(t)
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "vault", "--versioning-configuration", "Status=Enabled", "--mfa", last)
	s.stop(t)
	s = startServeIn(t, data)
	s.awsFails(t, "AccessDenied", append(del(ids[2]), "--mfa", last)...)
	s.aws(t, append(del(ids[2]), "--mfa", codes.next(t))...)
}

// kmsAnswer is the encryption part of an aws CLI answer.
type kmsAnswer struct {
	ServerSideEncryption string
	SSEKMSKeyId          string
	UploadId             string
}

// TestSSEMultipartDefaultAndKeyARNs: CreateMultipartUpload reports the
// bucket's default encryption when the request names none; every answer
// naming a KMS key (PUT, HEAD, GET, copy, multipart) gives the key's ARN,
// whichever form (ID, alias, alias ARN, key ARN) the request used.
func TestSSEMultipartDefaultAndKeyARNs(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	keyID := strings.TrimSpace(s.run(t, cairnBinary(t), "--data", s.dataDir, "admin", "kms", "create-key", "--alias", "alias/gaps"))
	arn := "arn:aws:kms:" + testRegion + ":000000000001:key/" + keyID
	body := filepath.Join(t.TempDir(), "body")
	writeFile(t, body, "encrypted at rest")
	wantKMS := func(what string, got kmsAnswer) {
		t.Helper()
		if got.ServerSideEncryption != "aws:kms" || got.SSEKMSKeyId != arn {
			t.Errorf("%s: encryption %q key %q, want aws:kms and %s", what, got.ServerSideEncryption, got.SSEKMSKeyId, arn)
		}
	}
	var got kmsAnswer
	for _, b := range []string{"kms-default", "aes-default", "no-default"} {
		s.aws(t, "s3api", "create-bucket", "--bucket", b)
	}
	s.aws(t, "s3api", "put-bucket-encryption", "--bucket", "kms-default", "--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/gaps"}}]}`)
	s.aws(t, "s3api", "put-bucket-encryption", "--bucket", "aes-default", "--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}`)

	s.awsJSON(t, &got, "s3api", "create-multipart-upload", "--bucket", "kms-default", "--key", "mp")
	wantKMS("create-multipart-upload under a KMS default", got)
	var part struct{ ETag string }
	s.awsJSON(t, &part, "s3api", "upload-part", "--bucket", "kms-default", "--key", "mp", "--upload-id", got.UploadId,
		"--part-number", "1", "--body", body)
	upload := got.UploadId
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "complete-multipart-upload", "--bucket", "kms-default", "--key", "mp", "--upload-id", upload,
		"--multipart-upload", `{"Parts":[{"ETag":`+jsonString(part.ETag)+`,"PartNumber":1}]}`)
	wantKMS("complete-multipart-upload", got)

	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "create-multipart-upload", "--bucket", "aes-default", "--key", "mp")
	if got.ServerSideEncryption != "AES256" || got.SSEKMSKeyId != "" {
		t.Errorf("create-multipart-upload under an AES256 default: %+v", got)
	}
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "create-multipart-upload", "--bucket", "no-default", "--key", "mp")
	if got.ServerSideEncryption != "" {
		t.Errorf("create-multipart-upload without a default: %+v", got)
	}
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "create-multipart-upload", "--bucket", "no-default", "--key", "mp2",
		"--server-side-encryption", "aws:kms", "--ssekms-key-id", "alias/gaps")
	wantKMS("create-multipart-upload naming an alias", got)

	for i, ref := range []string{keyID, "alias/gaps", "arn:aws:kms:" + testRegion + ":000000000001:alias/gaps", arn} {
		key := "obj" + string(rune('a'+i))
		got = kmsAnswer{}
		s.awsJSON(t, &got, "s3api", "put-object", "--bucket", "no-default", "--key", key, "--body", body,
			"--server-side-encryption", "aws:kms", "--ssekms-key-id", ref)
		wantKMS("put-object with key "+ref, got)
	}
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "head-object", "--bucket", "no-default", "--key", "obja")
	wantKMS("head-object", got)
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "get-object", "--bucket", "no-default", "--key", "objb", filepath.Join(t.TempDir(), "out"))
	wantKMS("get-object", got)
	got = kmsAnswer{}
	s.awsJSON(t, &got, "s3api", "copy-object", "--bucket", "no-default", "--key", "copied", "--copy-source", "no-default/objc",
		"--server-side-encryption", "aws:kms", "--ssekms-key-id", "alias/gaps")
	wantKMS("copy-object", got)
}

// TestObjectLockLegalHoldNeverPlaced: GetObjectLegalHold of a version
// that never had a legal hold answers NoSuchObjectLockConfiguration, as
// S3 does, and HEAD reports none; once lifted, a hold reads OFF.
func TestObjectLockLegalHoldNeverPlaced(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "locked", "--object-lock-enabled-for-bucket")
	id := putVersion(t, s, "locked", "memo")
	get := []string{"s3api", "get-object-legal-hold", "--bucket", "locked", "--key", "memo", "--version-id", id}
	s.awsFails(t, "NoSuchObjectLockConfiguration", get...)
	var head lockVersion
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "locked", "--key", "memo", "--version-id", id)
	if head.ObjectLockLegalHoldStatus != "" {
		t.Errorf("head-object of a version never held: legal hold %q, want none", head.ObjectLockLegalHoldStatus)
	}
	s.aws(t, "s3api", "put-object-legal-hold", "--bucket", "locked", "--key", "memo", "--version-id", id, "--legal-hold", "Status=OFF")
	var hold struct{ LegalHold struct{ Status string } }
	s.awsJSON(t, &hold, get...)
	if hold.LegalHold.Status != "OFF" {
		t.Errorf("legal hold after put OFF: %q, want OFF", hold.LegalHold.Status)
	}
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "locked", "--key", "memo", "--version-id", id)
	if head.ObjectLockLegalHoldStatus != "OFF" {
		t.Errorf("head-object after put OFF: legal hold %q, want OFF", head.ObjectLockLegalHoldStatus)
	}
}
