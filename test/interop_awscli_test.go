package test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI is the aws CLI: Debian's (v2) when installed, else the one on PATH.
func awsCLI(t *testing.T) string { return needTool(t, "/usr/bin/aws", "aws") }

// aws runs the aws CLI against the server with the endpoint set.
func (s *server) aws(t *testing.T, args ...string) string {
	t.Helper()
	return s.run(t, awsCLI(t), append([]string{"--endpoint-url", s.endpoint}, args...)...)
}

// awsJSON runs an s3api command and decodes its JSON output.
func (s *server) awsJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := s.aws(t, append(args, "--output", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("aws %s: decode %q: %v", strings.Join(args, " "), out, err)
	}
}

func writeRandomFile(t *testing.T, path string, size int) []byte {
	t.Helper()
	data := make([]byte, size)
	rand.Read(data)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAWSCLIHighLevel drives `aws s3`: mb, a 100 MiB cp that goes
// multipart, ls, sync both ways, rm and rb.
func TestAWSCLIHighLevel(t *testing.T) {
	s := startServe(t)
	dir := t.TempDir()
	s.aws(t, "s3", "mb", "s3://cli-bucket")
	big := writeRandomFile(t, filepath.Join(dir, "big.bin"), 100<<20)
	s.aws(t, "s3", "cp", filepath.Join(dir, "big.bin"), "s3://cli-bucket/data/big.bin")

	var head struct {
		ContentLength int64
		ETag          string
	}
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "cli-bucket", "--key", "data/big.bin")
	if head.ContentLength != 100<<20 || !strings.Contains(head.ETag, "-") {
		t.Fatalf("head of the 100 MiB upload: %+v, want its full size and a multipart ETag", head)
	}
	s.aws(t, "s3", "cp", "s3://cli-bucket/data/big.bin", filepath.Join(dir, "back.bin"))
	if !bytes.Equal(mustRead(t, filepath.Join(dir, "back.bin")), big) {
		t.Fatal("100 MiB object read back differs from what was uploaded")
	}

	src := filepath.Join(dir, "tree")
	files := map[string][]byte{}
	for _, name := range []string{"a.txt", "sub/b.txt", "sub/deeper/c with space.txt", "ünï/ço∂é.txt"} {
		files[name] = writeRandomFile(t, filepath.Join(src, name), 1000+len(name))
	}
	s.aws(t, "s3", "sync", src, "s3://cli-bucket/tree")
	ls := s.aws(t, "s3", "ls", "--recursive", "s3://cli-bucket/tree/")
	for name := range files {
		if !strings.Contains(ls, "tree/"+name) {
			t.Errorf("aws s3 ls --recursive lacks tree/%s:\n%s", name, ls)
		}
	}
	top := s.aws(t, "s3", "ls", "s3://cli-bucket/tree/")
	if !strings.Contains(top, "PRE sub/") || !strings.Contains(top, "a.txt") {
		t.Errorf("aws s3 ls of a prefix:\n%s\nwant PRE sub/ and a.txt", top)
	}
	dst := filepath.Join(dir, "back")
	s.aws(t, "s3", "sync", "s3://cli-bucket/tree", dst)
	for name, want := range files {
		if !bytes.Equal(mustRead(t, filepath.Join(dst, name)), want) {
			t.Errorf("synced back %s differs", name)
		}
	}
	// A second sync finds nothing to do.
	if out := s.aws(t, "s3", "sync", src, "s3://cli-bucket/tree"); strings.TrimSpace(out) != "" {
		t.Errorf("second sync of an unchanged tree uploaded again:\n%s", out)
	}

	s.aws(t, "s3", "rm", "--recursive", "s3://cli-bucket/tree")
	if out, _ := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3", "ls", "--recursive", "s3://cli-bucket/tree/"); strings.Contains(out, "tree/") {
		t.Errorf("after rm --recursive, ls shows:\n%s", out)
	}
	if _, err := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3", "rb", "s3://cli-bucket"); err == nil {
		t.Fatal("rb of a non-empty bucket succeeded")
	}
	s.aws(t, "s3", "rb", "--force", "s3://cli-bucket")
	if out := s.aws(t, "s3", "ls"); strings.Contains(out, "cli-bucket") {
		t.Errorf("bucket still listed after rb --force:\n%s", out)
	}
}

// TestAWSCLIPresign checks that a URL from `aws s3 presign` and from
// `cairn presign --put` work with curl, and that a tampered one does not.
func TestAWSCLIPresign(t *testing.T) {
	curl := needTool(t, "curl")
	s := startServe(t)
	dir := t.TempDir()
	s.aws(t, "s3", "mb", "s3://presigned")
	want := writeRandomFile(t, filepath.Join(dir, "obj"), 12345)
	s.aws(t, "s3", "cp", filepath.Join(dir, "obj"), "s3://presigned/some dir/obj+1.bin")

	url := strings.TrimSpace(s.aws(t, "s3", "presign", "s3://presigned/some dir/obj+1.bin", "--expires-in", "300"))
	got := s.run(t, curl, "-sSf", url)
	if got != string(want) {
		t.Fatalf("curl of a presigned GET returned %d bytes, want the %d stored", len(got), len(want))
	}
	tampered := strings.Replace(url, "X-Amz-Expires=300", "X-Amz-Expires=301", 1)
	if out, _ := s.try(t, curl, "-sS", tampered); !strings.Contains(out, "SignatureDoesNotMatch") {
		t.Fatalf("tampered presigned URL answered %q, want SignatureDoesNotMatch", out)
	}

	putURL := strings.TrimSpace(s.runEnv(t, []string{"CAIRN_ACCESS_KEY=" + testAccessKey, "CAIRN_SECRET_KEY=" + testSecretKey},
		cairnBinary(t), "presign", "--data", s.dataDir, "--put", "--endpoint", s.endpoint, "--expires", "10m", "s3://presigned/uploaded.txt"))
	s.run(t, curl, "-sSf", "-X", "PUT", "--data-binary", "hello from curl", putURL)
	s.aws(t, "s3", "cp", "s3://presigned/uploaded.txt", filepath.Join(dir, "uploaded"))
	if got := string(mustRead(t, filepath.Join(dir, "uploaded"))); got != "hello from curl" {
		t.Fatalf("object uploaded through a presigned PUT holds %q", got)
	}
	if out, _ := s.try(t, curl, "-sS", s.endpoint+"/presigned/uploaded.txt"); !strings.Contains(out, "AccessDenied") {
		t.Fatalf("anonymous GET answered %q, want AccessDenied", out)
	}
}

// TestAWSCLIVersioning walks the versioning table with `aws s3api`:
// versions, delete markers, list-object-versions, restore by copy, and
// tagging.
func TestAWSCLIVersioning(t *testing.T) {
	s := startServe(t)
	dir := t.TempDir()
	s.aws(t, "s3api", "create-bucket", "--bucket", "vers")
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "vers", "--versioning-configuration", "Status=Enabled")
	var vc struct{ Status string }
	s.awsJSON(t, &vc, "s3api", "get-bucket-versioning", "--bucket", "vers")
	if vc.Status != "Enabled" {
		t.Fatalf("versioning status %q, want Enabled", vc.Status)
	}
	var ids []string
	for _, body := range []string{"first", "second"} {
		p := filepath.Join(dir, body)
		os.WriteFile(p, []byte(body), 0o644)
		var put struct{ VersionId string }
		s.awsJSON(t, &put, "s3api", "put-object", "--bucket", "vers", "--key", "photos/alice.jpg", "--body", p)
		if put.VersionId == "" {
			t.Fatal("put-object on a versioned bucket returned no VersionId")
		}
		ids = append(ids, put.VersionId)
	}
	var del struct {
		DeleteMarker bool
		VersionId    string
	}
	s.awsJSON(t, &del, "s3api", "delete-object", "--bucket", "vers", "--key", "photos/alice.jpg")
	if !del.DeleteMarker || del.VersionId == "" {
		t.Fatalf("delete without a version: %+v, want a delete marker", del)
	}
	if out, err := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3api", "head-object", "--bucket", "vers", "--key", "photos/alice.jpg"); err == nil || !strings.Contains(out, "404") {
		t.Fatalf("head after delete: %v %s, want 404", err, out)
	}
	var lv struct {
		Versions []struct {
			VersionId string
			IsLatest  bool
		}
		DeleteMarkers []struct {
			VersionId string
			IsLatest  bool
		}
	}
	s.awsJSON(t, &lv, "s3api", "list-object-versions", "--bucket", "vers", "--prefix", "photos/alice.jpg")
	if len(lv.Versions) != 2 || len(lv.DeleteMarkers) != 1 || !lv.DeleteMarkers[0].IsLatest || lv.Versions[0].VersionId != ids[1] {
		t.Fatalf("list-object-versions: %+v, want 2 versions (newest first) under a latest delete marker", lv)
	}
	// Restore the first version by copying it over the key.
	s.aws(t, "s3api", "copy-object", "--bucket", "vers", "--key", "photos/alice.jpg", "--copy-source", "vers/photos/alice.jpg?versionId="+ids[0])
	s.aws(t, "s3", "cp", "s3://vers/photos/alice.jpg", filepath.Join(dir, "restored"))
	if got := string(mustRead(t, filepath.Join(dir, "restored"))); got != "first" {
		t.Fatalf("restored object holds %q, want first", got)
	}
	// Deleting a version for good.
	s.aws(t, "s3api", "delete-object", "--bucket", "vers", "--key", "photos/alice.jpg", "--version-id", ids[1])
	if out, err := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3api", "get-object", "--bucket", "vers", "--key", "photos/alice.jpg", "--version-id", ids[1], filepath.Join(dir, "gone")); err == nil || !strings.Contains(out, "NoSuchVersion") && !strings.Contains(out, "404") {
		t.Fatalf("get of a deleted version: %v %s", err, out)
	}
	// Deleting the delete marker brings the key back: versioned restore the other way.
	s.aws(t, "s3api", "delete-object", "--bucket", "vers", "--key", "photos/alice.jpg", "--version-id", del.VersionId)

	s.aws(t, "s3api", "put-object-tagging", "--bucket", "vers", "--key", "photos/alice.jpg", "--tagging", "TagSet=[{Key=project,Value=cairn},{Key=tier,Value=gold}]")
	var tg struct{ TagSet []struct{ Key, Value string } }
	s.awsJSON(t, &tg, "s3api", "get-object-tagging", "--bucket", "vers", "--key", "photos/alice.jpg")
	if len(tg.TagSet) != 2 || tg.TagSet[0].Key != "project" || tg.TagSet[0].Value != "cairn" {
		t.Fatalf("tags read back: %+v", tg.TagSet)
	}
	s.aws(t, "s3api", "put-bucket-tagging", "--bucket", "vers", "--tagging", "TagSet=[{Key=team,Value=storage}]")
	s.awsJSON(t, &tg, "s3api", "get-bucket-tagging", "--bucket", "vers")
	if len(tg.TagSet) != 1 || tg.TagSet[0].Key != "team" || tg.TagSet[0].Value != "storage" {
		t.Fatalf("bucket tags read back: %+v", tg.TagSet)
	}
	s.aws(t, "s3api", "delete-bucket-tagging", "--bucket", "vers")
	if out, err := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3api", "get-bucket-tagging", "--bucket", "vers"); err == nil || !strings.Contains(out, "NoSuchTagSet") {
		t.Fatalf("get-bucket-tagging after delete: %v %s, want NoSuchTagSet", err, out)
	}
	s.aws(t, "s3api", "delete-object-tagging", "--bucket", "vers", "--key", "photos/alice.jpg")
	s.awsJSON(t, &tg, "s3api", "get-object-tagging", "--bucket", "vers", "--key", "photos/alice.jpg")
	if len(tg.TagSet) != 0 {
		t.Fatalf("tags after delete-object-tagging: %+v", tg.TagSet)
	}
}

// TestAWSCLIErrors checks that S3 error codes reach the CLI as S3 names them.
func TestAWSCLIErrors(t *testing.T) {
	s := startServe(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"s3api", "head-bucket", "--bucket", "missing-bucket"}, "404"},
		{[]string{"s3api", "create-bucket", "--bucket", "Bad_Name"}, "InvalidBucketName"},
		{[]string{"s3api", "get-object", "--bucket", "missing-bucket", "--key", "k", os.DevNull}, "NoSuchBucket"},
		{[]string{"s3api", "put-bucket-acl", "--bucket", "missing-bucket", "--acl", "public-read"}, "AccessControlListNotSupported"},
		{[]string{"s3api", "get-bucket-policy", "--bucket", "missing-bucket"}, "NoSuchBucket"},
	}
	for _, c := range cases {
		out, err := s.try(t, awsCLI(t), append([]string{"--endpoint-url", s.endpoint}, c.args...)...)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("aws %s: %v %q, want an error naming %s", strings.Join(c.args, " "), err, out, c.want)
		}
	}
}
