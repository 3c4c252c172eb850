package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsFails runs an aws CLI command that must fail with the S3 error code
// code, and returns its output.
func (s *server) awsFails(t *testing.T, code string, args ...string) string {
	t.Helper()
	out, err := s.try(t, awsCLI(t), append([]string{"--endpoint-url", s.endpoint}, args...)...)
	if err == nil || !strings.Contains(out, code) {
		t.Errorf("aws %s: %v %q, want an error naming %s", strings.Join(args, " "), err, out, code)
	}
	return out
}

// lockVersion is what put-object and head-object report of a version.
type lockVersion struct {
	VersionID                 string `json:"VersionId"`
	ObjectLockMode            string
	ObjectLockRetainUntilDate string
	ObjectLockLegalHoldStatus string
}

// putVersion uploads a small object with extra put-object arguments and
// returns its version ID.
func putVersion(t *testing.T, s *server, bucket, key string, extra ...string) string {
	t.Helper()
	body := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(body, []byte("write once, read many"), 0o644); err != nil {
		t.Fatal(err)
	}
	var v lockVersion
	s.awsJSON(t, &v, append([]string{"s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body}, extra...)...)
	if v.VersionID == "" {
		t.Fatalf("put-object %s/%s reported no version ID", bucket, key)
	}
	return v.VersionID
}

func isoIn(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }

// TestObjectLockCompliance: a COMPLIANCE version can be neither deleted
// nor have its retention shortened, weakened to GOVERNANCE or bypassed;
// it can be extended, and deleting without a version ID only hides it.
func TestObjectLockCompliance(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "worm", "--object-lock-enabled-for-bucket")
	var ver struct{ Status string }
	s.awsJSON(t, &ver, "s3api", "get-bucket-versioning", "--bucket", "worm")
	if ver.Status != "Enabled" {
		t.Fatalf("a bucket created with object lock has versioning %q, want Enabled", ver.Status)
	}
	s.awsFails(t, "InvalidBucketState", "s3api", "put-bucket-versioning", "--bucket", "worm", "--versioning-configuration", "Status=Suspended")

	until := isoIn(48 * time.Hour)
	id := putVersion(t, s, "worm", "ledger", "--object-lock-mode", "COMPLIANCE", "--object-lock-retain-until-date", until)
	var head lockVersion
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "worm", "--key", "ledger")
	if head.ObjectLockMode != "COMPLIANCE" || head.ObjectLockRetainUntilDate == "" {
		t.Fatalf("head-object reports lock %+v, want COMPLIANCE until %s", head, until)
	}

	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "worm", "--key", "ledger", "--version-id", id)
	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "worm", "--key", "ledger", "--version-id", id, "--bypass-governance-retention")
	shorter := "Mode=COMPLIANCE,RetainUntilDate=" + isoIn(24*time.Hour)
	s.awsFails(t, "AccessDenied", "s3api", "put-object-retention", "--bucket", "worm", "--key", "ledger", "--version-id", id, "--retention", shorter)
	weaker := "Mode=GOVERNANCE,RetainUntilDate=" + isoIn(72*time.Hour)
	s.awsFails(t, "AccessDenied", "s3api", "put-object-retention", "--bucket", "worm", "--key", "ledger", "--version-id", id, "--retention", weaker, "--bypass-governance-retention")

	longer := isoIn(96 * time.Hour)
	s.aws(t, "s3api", "put-object-retention", "--bucket", "worm", "--key", "ledger", "--version-id", id, "--retention", "Mode=COMPLIANCE,RetainUntilDate="+longer)
	var ret struct {
		Retention struct{ Mode, RetainUntilDate string }
	}
	s.awsJSON(t, &ret, "s3api", "get-object-retention", "--bucket", "worm", "--key", "ledger", "--version-id", id)
	if ret.Retention.Mode != "COMPLIANCE" || !strings.HasPrefix(ret.Retention.RetainUntilDate, longer[:16]) {
		t.Fatalf("get-object-retention after extending: %+v, want COMPLIANCE until %s", ret.Retention, longer)
	}

	out := s.aws(t, "s3api", "delete-object", "--bucket", "worm", "--key", "ledger")
	if !strings.Contains(out, "DeleteMarker") {
		t.Fatalf("delete-object without a version ID on a locked bucket: %q, want a delete marker", out)
	}
	s.run(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3api", "get-object", "--bucket", "worm", "--key", "ledger", "--version-id", id, filepath.Join(t.TempDir(), "out"))
	s.awsFails(t, "BucketNotEmpty", "s3api", "delete-bucket", "--bucket", "worm")

	var del struct {
		Errors []struct{ Code, VersionID string }
	}
	s.awsJSON(t, &del, "s3api", "delete-objects", "--bucket", "worm", "--delete", `{"Objects":[{"Key":"ledger","VersionId":"`+id+`"}]}`)
	if len(del.Errors) != 1 || del.Errors[0].Code != "AccessDenied" {
		t.Fatalf("delete-objects of a COMPLIANCE version: %+v, want one AccessDenied", del.Errors)
	}
}

// TestObjectLockGovernance: a GOVERNANCE version is deleted or shortened
// only with x-amz-bypass-governance-retention.
func TestObjectLockGovernance(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "gov", "--object-lock-enabled-for-bucket")
	id := putVersion(t, s, "gov", "draft", "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", isoIn(48*time.Hour))

	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "gov", "--key", "draft", "--version-id", id)
	shorter := "Mode=GOVERNANCE,RetainUntilDate=" + isoIn(time.Hour)
	s.awsFails(t, "AccessDenied", "s3api", "put-object-retention", "--bucket", "gov", "--key", "draft", "--version-id", id, "--retention", shorter)
	s.aws(t, "s3api", "put-object-retention", "--bucket", "gov", "--key", "draft", "--version-id", id, "--retention", shorter, "--bypass-governance-retention")

	var del struct{ Errors []struct{ Code string } }
	s.awsJSON(t, &del, "s3api", "delete-objects", "--bucket", "gov", "--delete", `{"Objects":[{"Key":"draft","VersionId":"`+id+`"}]}`)
	if len(del.Errors) != 1 || del.Errors[0].Code != "AccessDenied" {
		t.Fatalf("delete-objects of a GOVERNANCE version without bypass: %+v, want one AccessDenied", del.Errors)
	}
	s.aws(t, "s3api", "delete-object", "--bucket", "gov", "--key", "draft", "--version-id", id, "--bypass-governance-retention")
	s.awsFails(t, "404", "s3api", "head-object", "--bucket", "gov", "--key", "draft", "--version-id", id)
}

// TestObjectLockLegalHold: a legal hold blocks deletes, even with bypass,
// until it is removed.
func TestObjectLockLegalHold(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "held", "--object-lock-enabled-for-bucket")
	id := putVersion(t, s, "held", "evidence", "--object-lock-legal-hold-status", "ON")
	var hold struct{ LegalHold struct{ Status string } }
	s.awsJSON(t, &hold, "s3api", "get-object-legal-hold", "--bucket", "held", "--key", "evidence")
	if hold.LegalHold.Status != "ON" {
		t.Fatalf("legal hold %q, want ON", hold.LegalHold.Status)
	}
	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "held", "--key", "evidence", "--version-id", id, "--bypass-governance-retention")
	s.awsFails(t, "NoSuchObjectLockConfiguration", "s3api", "get-object-retention", "--bucket", "held", "--key", "evidence")

	s.aws(t, "s3api", "put-object-legal-hold", "--bucket", "held", "--key", "evidence", "--legal-hold", "Status=OFF")
	s.aws(t, "s3api", "delete-object", "--bucket", "held", "--key", "evidence", "--version-id", id)

	other := putVersion(t, s, "held", "later")
	s.aws(t, "s3api", "put-object-legal-hold", "--bucket", "held", "--key", "later", "--legal-hold", "Status=ON")
	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "held", "--key", "later", "--version-id", other)
}

// TestObjectLockDefaultRetention: the bucket's default retention lands
// on every new version, counted from its creation, and object lock can be
// turned on for an existing versioned bucket.
func TestObjectLockDefaultRetention(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "archive")
	s.awsFails(t, "ObjectLockConfigurationNotFoundError", "s3api", "get-object-lock-configuration", "--bucket", "archive")
	rule := `{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":3}}}`
	s.awsFails(t, "InvalidBucketState", "s3api", "put-object-lock-configuration", "--bucket", "archive", "--object-lock-configuration", rule)
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "archive", "--versioning-configuration", "Status=Enabled")
	s.aws(t, "s3api", "put-object-lock-configuration", "--bucket", "archive", "--object-lock-configuration", rule)

	var cfg struct {
		ObjectLockConfiguration struct {
			ObjectLockEnabled string
			Rule              struct {
				DefaultRetention struct {
					Mode string
					Days int
				}
			}
		}
	}
	s.awsJSON(t, &cfg, "s3api", "get-object-lock-configuration", "--bucket", "archive")
	if c := cfg.ObjectLockConfiguration; c.ObjectLockEnabled != "Enabled" || c.Rule.DefaultRetention.Mode != "COMPLIANCE" || c.Rule.DefaultRetention.Days != 3 {
		t.Fatalf("get-object-lock-configuration: %+v", c)
	}

	before := time.Now()
	id := putVersion(t, s, "archive", "report.pdf")
	var head lockVersion
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "archive", "--key", "report.pdf")
	until, err := time.Parse(time.RFC3339, head.ObjectLockRetainUntilDate)
	if err != nil || head.ObjectLockMode != "COMPLIANCE" {
		t.Fatalf("head-object of a version under default retention: %+v (%v)", head, err)
	}
	if want := before.AddDate(0, 0, 3); until.Before(want.Add(-time.Minute)) || until.After(want.Add(time.Hour)) {
		t.Fatalf("default retention until %s, want 3 days from the upload (%s)", until, want)
	}
	s.awsFails(t, "AccessDenied", "s3api", "delete-object", "--bucket", "archive", "--key", "report.pdf", "--version-id", id)

	bad := []struct{ doc, code string }{
		{`{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":1,"Years":1}}}`, "MalformedXML"},
		{`{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":-1}}}`, "InvalidArgument"},
	}
	for _, b := range bad {
		s.awsFails(t, b.code, "s3api", "put-object-lock-configuration", "--bucket", "archive", "--object-lock-configuration", b.doc)
	}
}

// TestObjectLockRefusals: lock requests on a bucket without object lock,
// and malformed lock headers, fail with S3's codes.
func TestObjectLockRefusals(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "plain")
	putVersionOrFail := func(code string, extra ...string) {
		t.Helper()
		body := filepath.Join(t.TempDir(), "b")
		os.WriteFile(body, []byte("x"), 0o644)
		s.awsFails(t, code, append([]string{"s3api", "put-object", "--bucket", "plain", "--key", "k", "--body", body}, extra...)...)
	}
	putVersionOrFail("InvalidRequest", "--object-lock-legal-hold-status", "ON")
	putVersionOrFail("InvalidRequest", "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", isoIn(time.Hour))
	s.aws(t, "s3api", "put-object", "--bucket", "plain", "--key", "k")
	s.awsFails(t, "InvalidRequest", "s3api", "put-object-retention", "--bucket", "plain", "--key", "k", "--retention", "Mode=GOVERNANCE,RetainUntilDate="+isoIn(time.Hour))
	s.awsFails(t, "InvalidRequest", "s3api", "put-object-legal-hold", "--bucket", "plain", "--key", "k", "--legal-hold", "Status=ON")

	s.aws(t, "s3api", "create-bucket", "--bucket", "locked", "--object-lock-enabled-for-bucket")
	body := filepath.Join(t.TempDir(), "b")
	os.WriteFile(body, []byte("x"), 0o644)
	s.awsFails(t, "InvalidArgument", "s3api", "put-object", "--bucket", "locked", "--key", "k", "--body", body, "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", isoIn(-time.Hour))
	s.awsFails(t, "InvalidArgument", "s3api", "put-object", "--bucket", "locked", "--key", "k", "--body", body, "--object-lock-mode", "GOVERNANCE")
}
