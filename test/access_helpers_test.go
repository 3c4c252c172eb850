package test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// s3Key is a credential the access tests sign with; the zero key sends
// anonymous (unsigned) requests.
type s3Key struct {
	Access, Secret string
}

// rootKey is the root credential of every test server.
var rootKey = s3Key{testAccessKey, testSecretKey}

// anon sends unsigned requests.
var anon = s3Key{}

// s3Step is one boto3 call of an access test and the outcome it must
// have: "OK" or an S3 error code.
type s3Step struct {
	as     s3Key
	op     string
	params map[string]any
	want   string
	// wantBody, when set, must be in the body a successful call returns
	// (a GetObject body, a policy, a key listing).
	wantBody string
	// notCode, when set, replaces want: any outcome but this code.
	notCode string
}

// s3Result is what the boto3 runner reports of one call.
type s3Result struct {
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	Body    string `json:"body"`
	Public  *bool  `json:"public"`
}

// boto3Python returns the python with boto3, skipping the test without it.
func boto3Python(t *testing.T) string {
	py := needTool(t, "/usr/bin/python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		needTool(t, "boto3 (Debian package python3-boto3)")
	}
	return py
}

// s3Steps runs steps in order through testdata/access_steps.py against
// endpoint and checks each outcome; it returns the results.
func s3Steps(t *testing.T, endpoint string, steps ...s3Step) []s3Result {
	t.Helper()
	py := boto3Python(t)
	type wireStep struct {
		Key    *string        `json:"key"`
		Secret string         `json:"secret"`
		Op     string         `json:"op"`
		Params map[string]any `json:"params"`
	}
	doc := struct {
		Endpoint string     `json:"endpoint"`
		Verify   bool       `json:"verify"`
		Steps    []wireStep `json:"steps"`
	}{Endpoint: endpoint, Verify: !strings.HasPrefix(endpoint, "https:")}
	for _, s := range steps {
		w := wireStep{Secret: s.as.Secret, Op: s.op, Params: s.params}
		if s.as.Access != "" {
			w.Key = &s.as.Access
		}
		doc.Steps = append(doc.Steps, w)
	}
	in, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command(py, filepath.Join(filepath.Dir(file), "testdata", "access_steps.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3 steps: %v\n%s", err, stderr.String())
	}
	var res []s3Result
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(steps) {
		t.Fatalf("boto3 steps printed %q (%v)", out, err)
	}
	for i, s := range steps {
		r := res[i]
		who := "root"
		switch s.as {
		case anon:
			who = "anonymous"
		case rootKey:
		default:
			who = s.as.Access
		}
		switch {
		case s.notCode != "" && r.Code == s.notCode:
			t.Errorf("step %d: %s as %s: %s (%d), want anything else: %s", i, s.op, who, r.Code, r.Status, r.Message)
		case s.notCode == "" && r.Code != s.want:
			t.Errorf("step %d: %s %v as %s: %s (%d) %s, want %s", i, s.op, s.params, who, r.Code, r.Status, r.Message, s.want)
		case s.wantBody != "" && !strings.Contains(r.Body, s.wantBody):
			t.Errorf("step %d: %s as %s: body %q, want it to hold %q", i, s.op, who, r.Body, s.wantBody)
		}
	}
	return res
}

// p builds the parameters of a call from name, value pairs.
func p(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// addUser adds a user with an access key through cairn admin, on the
// data directory of a running server, and returns the key.
func addUser(t *testing.T, s *server, name string, args ...string) s3Key {
	t.Helper()
	c := &cli{t: t, bin: cairnBinary(t), data: s.dataDir}
	out := c.ok(append([]string{"admin", "user", "add", name, "--key"}, args...)...)
	var k s3Key
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "access key: "); ok {
			k.Access = v
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "secret key: "); ok {
			k.Secret = v
		}
	}
	if k.Access == "" || k.Secret == "" {
		t.Fatalf("cairn admin user add printed no key:\n%s", out)
	}
	return k
}

// admin runs cairn admin on a running server's data directory.
func admin(t *testing.T, s *server, args ...string) string {
	t.Helper()
	c := &cli{t: t, bin: cairnBinary(t), data: s.dataDir}
	return c.ok(append([]string{"admin"}, args...)...)
}
