package test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The bucket policies of the S3 guide, as written there.
const (
	guideDenyUnencrypted = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyUnencryptedObjectUploads",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::my-bucket/*",
    "Condition": {
      "StringNotEquals": {
        "s3:x-amz-server-side-encryption": "aws:kms"
      }
    }
  }]
}`
	guideHTTPSOnly = `{
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
    "Condition": { "Bool": { "aws:SecureTransport": "false" } }
  }]
}`
	guideCrossAccount = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AllowCrossAccountRead",
    "Effect": "Allow",
    "Principal": { "AWS": "arn:aws:iam::987654321098:role/DataPipelineRole" },
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": [
      "arn:aws:s3:::my-data-bucket",
      "arn:aws:s3:::my-data-bucket/*"
    ]
  }]
}`
)

// publicRead lets anyone read the objects of bucket.
func publicRead(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

// TestAccessIdentityPolicies: users sign with their own keys and may do
// what their identity policies allow, changed by cairn admin while the
// server runs.
func TestAccessIdentityPolicies(t *testing.T) {
	s := startServe(t)
	alice := addUser(t, s, "alice")
	bob := addUser(t, s, "bob")
	carol := addUser(t, s, "carol")
	admin(t, s, "policy", "attach", "alice", "AmazonS3ReadOnlyAccess")
	admin(t, s, "policy", "attach", "carol", "AmazonS3FullAccess")
	noDelete := filepath.Join(t.TempDir(), "no-delete.json")
	os.WriteFile(noDelete, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject*","Resource":"arn:aws:s3:::team/*"}]}`), 0o644)
	admin(t, s, "policy", "attach", "carol", noDelete)
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "team"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "team", "Key", "plan.txt", "Body", "the plan"), want: "OK"},
		s3Step{as: alice, op: "get_object", params: p("Bucket", "team", "Key", "plan.txt"), want: "OK", wantBody: "the plan"},
		s3Step{as: alice, op: "list_objects_v2", params: p("Bucket", "team"), want: "OK", wantBody: "plan.txt"},
		s3Step{as: alice, op: "put_object", params: p("Bucket", "team", "Key", "x", "Body", "x"), want: "AccessDenied"},
		s3Step{as: bob, op: "get_object", params: p("Bucket", "team", "Key", "plan.txt"), want: "AccessDenied"},
		s3Step{as: bob, op: "list_buckets", want: "AccessDenied"},
		s3Step{as: carol, op: "put_object", params: p("Bucket", "team", "Key", "carol.txt", "Body", "c"), want: "OK"},
		s3Step{as: carol, op: "delete_object", params: p("Bucket", "team", "Key", "carol.txt"), want: "AccessDenied"},
		s3Step{as: carol, op: "create_bucket", params: p("Bucket", "carols"), want: "OK"},
		// Same account: the bucket policy alone is enough.
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "team", "Policy",
			`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000001:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::team/*"}]}`), want: "OK"},
		s3Step{as: bob, op: "get_object", params: p("Bucket", "team", "Key", "plan.txt"), want: "OK", wantBody: "the plan"},
		s3Step{as: bob, op: "get_object", params: p("Bucket", "carols", "Key", "plan.txt"), want: "AccessDenied"},
	)
	admin(t, s, "policy", "detach", "alice", "AmazonS3ReadOnlyAccess")
	admin(t, s, "key", "delete", bob.Access)
	admin(t, s, "user", "remove", "carol")
	s3Steps(t, s.endpoint,
		s3Step{as: alice, op: "get_object", params: p("Bucket", "team", "Key", "plan.txt"), want: "AccessDenied"},
		s3Step{as: bob, op: "get_object", params: p("Bucket", "team", "Key", "plan.txt"), want: "InvalidAccessKeyId"},
		s3Step{as: carol, op: "list_buckets", want: "InvalidAccessKeyId"},
	)
	list := admin(t, s, "user", "list")
	if !strings.Contains(list, "arn:aws:iam::000000000001:user/alice") || strings.Contains(list, "carol") {
		t.Errorf("user list:\n%s", list)
	}
}

// TestAccessGuideExamples puts the bucket policies of the S3 guide as
// written there and checks what each one allows and denies.
func TestAccessGuideExamples(t *testing.T) {
	s := startServe(t)
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "my-bucket"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "my-bucket", "Policy", guideDenyUnencrypted), want: "OK"},
		s3Step{as: rootKey, op: "get_bucket_policy", params: p("Bucket", "my-bucket"), want: "OK", wantBody: "DenyUnencryptedObjectUploads"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "plain.txt", "Body", "x"), want: "AccessDenied"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "sse-s3.txt", "Body", "x", "ServerSideEncryption", "AES256"), want: "AccessDenied"},
		// With the header the policy asks for, the policy no longer
		// denies; the encryption code may still refuse the request.
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "kms.txt", "Body", "x", "ServerSideEncryption", "aws:kms"), notCode: "AccessDenied"},
		s3Step{as: rootKey, op: "list_objects_v2", params: p("Bucket", "my-bucket"), want: "OK"},

		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "my-bucket", "Policy", guideHTTPSOnly), want: "OK"},
		s3Step{as: rootKey, op: "list_objects_v2", params: p("Bucket", "my-bucket"), want: "AccessDenied"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "k", "Body", "x"), want: "AccessDenied"},
		// The bucket owner is never locked out of its policy.
		s3Step{as: rootKey, op: "delete_bucket_policy", params: p("Bucket", "my-bucket"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "k", "Body", "x"), want: "OK"},
	)

	role := addUser(t, s, "DataPipelineRole", "--account", "987654321098", "--role")
	admin(t, s, "policy", "attach", "DataPipelineRole", "AmazonS3FullAccess")
	other := addUser(t, s, "carol", "--account", "987654321098")
	admin(t, s, "policy", "attach", "carol", "AmazonS3FullAccess")
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "my-data-bucket"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv", "Body", "a,b"), want: "OK"},
		s3Step{as: role, op: "get_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv"), want: "AccessDenied"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "my-data-bucket", "Policy", guideCrossAccount), want: "OK"},
		s3Step{as: role, op: "get_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv"), want: "OK", wantBody: "a,b"},
		s3Step{as: role, op: "list_objects_v2", params: p("Bucket", "my-data-bucket"), want: "OK", wantBody: "daily/report.csv"},
		s3Step{as: role, op: "put_object", params: p("Bucket", "my-data-bucket", "Key", "x", "Body", "x"), want: "AccessDenied"},
		s3Step{as: role, op: "delete_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv"), want: "AccessDenied"},
		s3Step{as: other, op: "get_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv"), want: "AccessDenied"},
		s3Step{as: rootKey, op: "get_bucket_policy_status", params: p("Bucket", "my-data-bucket"), want: "OK"},
	)
	// A bucket created by another account is that account's: its users
	// list it, and the root credential of the server's account needs a
	// bucket policy to use it.
	res := s3Steps(t, s.endpoint,
		s3Step{as: role, op: "create_bucket", params: p("Bucket", "pipeline-out"), want: "OK"},
		s3Step{as: role, op: "put_object", params: p("Bucket", "pipeline-out", "Key", "r", "Body", "r"), want: "OK"},
		s3Step{as: role, op: "list_buckets", want: "OK", wantBody: `"pipeline-out"`},
		s3Step{as: rootKey, op: "get_object", params: p("Bucket", "pipeline-out", "Key", "r"), want: "AccessDenied"},
		s3Step{as: other, op: "get_object", params: p("Bucket", "pipeline-out", "Key", "r"), want: "OK"},
	)
	if strings.Contains(res[2].Body, "my-data-bucket") {
		t.Errorf("another account's user lists the buckets of the server's account: %s", res[2].Body)
	}
	// Cross-account access needs the principal's own identity policy too.
	admin(t, s, "policy", "detach", "DataPipelineRole", "AmazonS3FullAccess")
	s3Steps(t, s.endpoint,
		s3Step{as: role, op: "get_object", params: p("Bucket", "my-data-bucket", "Key", "daily/report.csv"), want: "AccessDenied"},
	)
}

// TestAccessHTTPSOnly serves HTTPS: the guide's HTTPS-only policy lets
// requests over TLS through.
func TestAccessHTTPSOnly(t *testing.T) {
	cert, key := selfSignedCert(t)
	s := startServe(t, "--tls-cert", cert, "--tls-key", key)
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "my-bucket"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "my-bucket", "Policy", guideHTTPSOnly), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "my-bucket", "Key", "k", "Body", "over tls"), want: "OK"},
		s3Step{as: rootKey, op: "get_object", params: p("Bucket", "my-bucket", "Key", "k"), want: "OK", wantBody: "over tls"},
	)
}

// TestAccessPublicBucket reads a bucket anonymously with plain HTTP GETs
// where a policy makes it public, and checks the public access block,
// per bucket and server-wide, stops it.
func TestAccessPublicBucket(t *testing.T) {
	s := startServe(t)
	url := s.endpoint + "/site/index.html"
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "site"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "site", "Key", "index.html", "Body", "<h1>hello</h1>"), want: "OK"},
		s3Step{as: rootKey, op: "get_public_access_block", params: p("Bucket", "site"), want: "NoSuchPublicAccessBlockConfiguration"},
	)
	wantGet(t, url, 403, "AccessDenied")
	res := s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "site", "Policy", publicRead("site")), want: "OK"},
		s3Step{as: rootKey, op: "get_bucket_policy_status", params: p("Bucket", "site"), want: "OK"},
		s3Step{as: anon, op: "list_objects_v2", params: p("Bucket", "site"), want: "AccessDenied"},
		s3Step{as: anon, op: "put_object", params: p("Bucket", "site", "Key", "defaced.html", "Body", "x"), want: "AccessDenied"},
	)
	if res[1].Public == nil || !*res[1].Public {
		t.Errorf("policy status of a public-read policy: %+v", res[1])
	}
	wantGet(t, url, 200, "<h1>hello</h1>")

	restrict := p("Bucket", "site", "PublicAccessBlockConfiguration", p("RestrictPublicBuckets", true))
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "put_public_access_block", params: restrict, want: "OK"},
		s3Step{as: rootKey, op: "get_public_access_block", params: p("Bucket", "site"), want: "OK", wantBody: `"RestrictPublicBuckets": true`},
		s3Step{as: rootKey, op: "get_object", params: p("Bucket", "site", "Key", "index.html"), want: "OK"},
	)
	wantGet(t, url, 403, "AccessDenied")
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "delete_public_access_block", params: p("Bucket", "site"), want: "OK"},
		s3Step{as: rootKey, op: "delete_bucket_policy", params: p("Bucket", "site"), want: "OK"},
		s3Step{as: rootKey, op: "put_public_access_block", params: p("Bucket", "site", "PublicAccessBlockConfiguration", p("BlockPublicPolicy", true)), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "site", "Policy", publicRead("site")), want: "AccessDenied"},
		s3Step{as: rootKey, op: "get_bucket_policy", params: p("Bucket", "site"), want: "NoSuchBucketPolicy"},
		s3Step{as: rootKey, op: "delete_public_access_block", params: p("Bucket", "site"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "site", "Policy", publicRead("site")), want: "OK"},
	)
	wantGet(t, url, 200, "<h1>hello</h1>")

	admin(t, s, "public-access-block", "set", "--restrict-public-buckets")
	wantGet(t, url, 403, "AccessDenied")
	admin(t, s, "public-access-block", "set", "--block-public-policy")
	wantGet(t, url, 200, "<h1>hello</h1>")
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "site", "Policy", publicRead("site")), want: "AccessDenied"},
	)
	admin(t, s, "public-access-block", "delete")
	wantGet(t, url, 200, "<h1>hello</h1>")
}

// TestAccessIPConditions allows and denies by the client's address (the
// tests connect from 127.0.0.1), and by the tags of the object read.
func TestAccessIPConditions(t *testing.T) {
	s := startServe(t)
	loopbackOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::lan/*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}]}`
	officeOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
		"Resource":["arn:aws:s3:::lan","arn:aws:s3:::lan/*"],"Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}}]}`
	res := s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "lan"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "lan", "Key", "doc", "Body", "local"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "lan", "Policy", loopbackOnly), want: "OK"},
		s3Step{as: rootKey, op: "get_bucket_policy_status", params: p("Bucket", "lan"), want: "OK"},
	)
	if res[3].Public == nil || *res[3].Public {
		t.Errorf("a policy limited to 127.0.0.0/8 reported public: %+v", res[3])
	}
	wantGet(t, s.endpoint+"/lan/doc", 200, "local")
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "lan", "Policy", officeOnly), want: "OK"},
		s3Step{as: rootKey, op: "get_object", params: p("Bucket", "lan", "Key", "doc"), want: "AccessDenied"},
		s3Step{as: rootKey, op: "delete_bucket_policy", params: p("Bucket", "lan"), want: "OK"},
		s3Step{as: rootKey, op: "get_object", params: p("Bucket", "lan", "Key", "doc"), want: "OK"},
	)
	wantGet(t, s.endpoint+"/lan/doc", 403, "AccessDenied")

	// Objects tagged public=yes are readable by anyone.
	byTag := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::lan/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/public":"yes"}}}]}`
	s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "lan", "Key", "flyer", "Body", "open", "Tagging", "public=yes"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "lan", "Policy", byTag), want: "OK"},
	)
	wantGet(t, s.endpoint+"/lan/flyer", 200, "open")
	wantGet(t, s.endpoint+"/lan/doc", 403, "AccessDenied")
}

// TestAccessPolicyErrorsAndACLs checks the errors of bad policies and
// that ACLs are disabled as in S3's BucketOwnerEnforced buckets.
func TestAccessPolicyErrorsAndACLs(t *testing.T) {
	s := startServe(t)
	res := s3Steps(t, s.endpoint,
		s3Step{as: rootKey, op: "create_bucket", params: p("Bucket", "docs"), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "docs", "Key", "a", "Body", "a"), want: "OK"},
		s3Step{as: rootKey, op: "get_bucket_policy", params: p("Bucket", "docs"), want: "NoSuchBucketPolicy"},
		s3Step{as: rootKey, op: "get_bucket_policy_status", params: p("Bucket", "docs"), want: "NoSuchBucketPolicy"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "docs", "Policy", "not json"), want: "MalformedPolicy"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "docs", "Policy", publicRead("other-bucket")), want: "MalformedPolicy"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "docs", "Policy",
			`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/*","Condition":{"StringEqualz":{"s3:prefix":"a"}}}]}`), want: "MalformedPolicy"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "docs", "Policy",
			`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/*"}]}`), want: "MalformedPolicy"},
		s3Step{as: rootKey, op: "put_bucket_policy", params: p("Bucket", "nosuch", "Policy", publicRead("nosuch")), want: "NoSuchBucket"},
		s3Step{as: rootKey, op: "delete_bucket_policy", params: p("Bucket", "docs"), want: "OK"},

		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "docs", "Key", "b", "Body", "b", "ACL", "public-read"), want: "AccessControlListNotSupported"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "docs", "Key", "b", "Body", "b", "ACL", "bucket-owner-full-control"), want: "OK"},
		s3Step{as: rootKey, op: "put_bucket_acl", params: p("Bucket", "docs", "ACL", "public-read"), want: "AccessControlListNotSupported"},
		s3Step{as: rootKey, op: "put_object_acl", params: p("Bucket", "docs", "Key", "a", "GrantRead", `uri="http://acs.amazonaws.com/groups/global/AllUsers"`), want: "AccessControlListNotSupported"},
		s3Step{as: rootKey, op: "get_object_acl", params: p("Bucket", "docs", "Key", "a"), want: "OK", wantBody: `["FULL_CONTROL"]`},
		s3Step{as: rootKey, op: "get_bucket_acl", params: p("Bucket", "docs"), want: "OK", wantBody: `["FULL_CONTROL"]`},
		s3Step{as: rootKey, op: "get_bucket_ownership_controls", params: p("Bucket", "docs"), want: "OK", wantBody: "BucketOwnerEnforced"},
		s3Step{as: rootKey, op: "put_bucket_ownership_controls", params: p("Bucket", "docs", "OwnershipControls",
			p("Rules", []any{p("ObjectOwnership", "ObjectWriter")})), want: "InvalidArgument"},
		s3Step{as: rootKey, op: "put_public_access_block", params: p("Bucket", "docs", "PublicAccessBlockConfiguration", p("BlockPublicAcls", true)), want: "OK"},
		s3Step{as: rootKey, op: "put_object", params: p("Bucket", "docs", "Key", "c", "Body", "c", "ACL", "public-read"), want: "AccessDenied"},
	)
	for i, want := range map[int]string{4: "valid JSON", 5: "invalid resource", 6: "Invalid Condition type", 7: "Missing required field Principal"} {
		if res[i].Status != 400 || !strings.Contains(res[i].Message, want) {
			t.Errorf("step %d: MalformedPolicy %d %q, want 400 naming %q", i, res[i].Status, res[i].Message, want)
		}
	}
}

// wantGet sends a plain, unsigned HTTP GET and checks the status and
// that the body holds want.
func wantGet(t *testing.T, url string, status int, want string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || !strings.Contains(string(body), want) {
		t.Errorf("GET %s: %d %q, want %d with %q", url, resp.StatusCode, body, status, want)
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key.
func selfSignedCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// TestAccessDenyUnencryptedMultipart: under the guide's policy, a large
// upload through the aws CLI (multipart) without the encryption header is
// denied, and one with it is not denied by the policy at any of its
// requests — the parts carry no header of their own but belong to an
// upload that had it. The encryption code may still refuse it.
func TestAccessDenyUnencryptedMultipart(t *testing.T) {
	aws := awsCLI(t)
	s := startServe(t)
	policyFile := filepath.Join(t.TempDir(), "policy.json")
	os.WriteFile(policyFile, []byte(guideDenyUnencrypted), 0o600)
	s.aws(t, "s3api", "create-bucket", "--bucket", "my-bucket")
	s.aws(t, "s3api", "put-bucket-policy", "--bucket", "my-bucket", "--policy", "file://"+policyFile)
	big := filepath.Join(t.TempDir(), "big.bin")
	writeRandomFile(t, big, 9<<20)
	out, err := s.try(t, aws, "--endpoint-url", s.endpoint, "s3", "cp", big, "s3://my-bucket/big.bin")
	if err == nil || !strings.Contains(out, "AccessDenied") {
		t.Errorf("multipart upload without encryption header: err %v, output:\n%s", err, out)
	}
	out, err = s.try(t, aws, "--endpoint-url", s.endpoint, "s3", "cp", big, "s3://my-bucket/big.bin", "--sse", "aws:kms")
	if strings.Contains(out, "AccessDenied") {
		t.Errorf("multipart upload with x-amz-server-side-encryption: aws:kms denied (err %v):\n%s", err, out)
	}
}
