package test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// webhookSecret signs the test webhook's POSTs.
const webhookSecret = "webhook-test-secret"

// hookReceiver is a webhook endpoint: it keeps every record POSTed to it
// and counts attempts; while down it answers 503 and keeps nothing.
type hookReceiver struct {
	*httptest.Server
	t        *testing.T
	mu       sync.Mutex
	down     bool
	attempts int
	records  []hookRecord
	bodies   [][]byte
	arrived  chan struct{}
}

// hookRecord is the part of an S3 event record the tests look at.
type hookRecord struct {
	EventVersion string `json:"eventVersion"`
	EventSource  string `json:"eventSource"`
	AWSRegion    string `json:"awsRegion"`
	EventTime    string `json:"eventTime"`
	EventName    string `json:"eventName"`
	UserIdentity struct {
		PrincipalID string `json:"principalId"`
	} `json:"userIdentity"`
	RequestParameters struct {
		SourceIPAddress string `json:"sourceIPAddress"`
	} `json:"requestParameters"`
	ResponseElements map[string]string `json:"responseElements"`
	S3               struct {
		SchemaVersion   string `json:"s3SchemaVersion"`
		ConfigurationID string `json:"configurationId"`
		Bucket          struct {
			Name          string `json:"name"`
			OwnerIdentity struct {
				PrincipalID string `json:"principalId"`
			} `json:"ownerIdentity"`
			ARN string `json:"arn"`
		} `json:"bucket"`
		Object struct {
			Key       string `json:"key"`
			Size      *int64 `json:"size"`
			ETag      string `json:"eTag"`
			VersionID string `json:"versionId"`
			Sequencer string `json:"sequencer"`
		} `json:"object"`
	} `json:"s3"`
}

func startHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{t: t, arrived: make(chan struct{}, 10000)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.down || err != nil {
		http.Error(w, "receiver down", http.StatusServiceUnavailable)
		return
	}
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write(body)
	if got, want := req.Header.Get("X-Cairn-Signature"), "sha256="+hex.EncodeToString(m.Sum(nil)); got != want {
		r.t.Errorf("webhook signature %q, want %q", got, want)
	}
	var doc struct{ Records []hookRecord }
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Records) != 1 {
		r.t.Errorf("webhook body is not one S3 event record (%v): %s", err, body)
		return
	}
	r.records = append(r.records, doc.Records[0])
	r.bodies = append(r.bodies, body)
	r.arrived <- struct{}{}
}

func (r *hookReceiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *hookReceiver) attemptCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// until waits for records to arrive up to and including one for fenceKey
// (an object written last), and returns every record taken so far. The
// webhook's records are delivered in order, so any duplicate of an
// earlier record would have come before the fence's.
func (r *hookReceiver) until(t *testing.T, fenceKey string) []hookRecord {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		r.mu.Lock()
		recs := append([]hookRecord(nil), r.records...)
		r.mu.Unlock()
		for _, rec := range recs {
			if decodeEventKey(t, rec.S3.Object.Key) == fenceKey {
				return recs
			}
		}
		select {
		case <-r.arrived:
		case <-deadline:
			t.Fatalf("the record of %s did not arrive within 2 minutes; got %d records", fenceKey, len(recs))
		}
	}
}

// decodeEventKey decodes a record's key as S3 event consumers do.
func decodeEventKey(t *testing.T, key string) string {
	t.Helper()
	k, err := url.QueryUnescape(key)
	if err != nil {
		t.Fatalf("record key %q: %v", key, err)
	}
	return k
}

// eventOp is one change the test makes and the record it expects.
type eventOp struct {
	event, key string
	size       int64
	etag       string // quoted, as the aws CLI prints it
	version    string
}

// notifiedServer is a cairn serve with versioned bucket "events" whose
// keys under "n/" notify the webhook "hook".
func notifiedServer(t *testing.T, data string, hook *hookReceiver) *server {
	t.Helper()
	out, err := exec.Command(cairnBinary(t), "--data", data, "admin", "webhook", "add", "hook", hook.URL, "--secret", webhookSecret).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "arn:cairn:webhook::hook" {
		t.Fatalf("cairn admin webhook add: %v: %s", err, out)
	}
	s := startServeIn(t, data)
	s.aws(t, "s3api", "create-bucket", "--bucket", "events")
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "events", "--versioning-configuration", "Status=Enabled")
	s.aws(t, "s3api", "put-bucket-notification-configuration", "--bucket", "events", "--notification-configuration", `{
	  "QueueConfigurations": [{"Id": "created", "QueueArn": "arn:cairn:webhook::hook",
	    "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "n/"}]}}}],
	  "TopicConfigurations": [{"Id": "removed", "TopicArn": "arn:cairn:webhook::hook",
	    "Events": ["s3:ObjectRemoved:*"], "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "n/"}]}}}]
	}`)
	return s
}

func (s *server) putEvent(t *testing.T, key, file string) eventOp {
	t.Helper()
	var res struct{ ETag, VersionId string }
	s.awsJSON(t, &res, "s3api", "put-object", "--bucket", "events", "--key", key, "--body", file)
	fi, _ := os.Stat(file)
	return eventOp{"ObjectCreated:Put", key, fi.Size(), res.ETag, res.VersionId}
}

func (s *server) deleteEvent(t *testing.T, key, version string) eventOp {
	t.Helper()
	args := []string{"s3api", "delete-object", "--bucket", "events", "--key", key}
	if version != "" {
		args = append(args, "--version-id", version)
	}
	var res struct {
		VersionId    string
		DeleteMarker bool
	}
	s.awsJSON(t, &res, args...)
	if version == "" && res.DeleteMarker {
		return eventOp{event: "ObjectRemoved:DeleteMarkerCreated", key: key, version: res.VersionId}
	}
	return eventOp{event: "ObjectRemoved:Delete", key: key, version: res.VersionId}
}

// checkRecords checks that the records are exactly the ops' records, in
// order, each once, with S3's shape.
func checkRecords(t *testing.T, recs []hookRecord, ops []eventOp) {
	t.Helper()
	if len(recs) != len(ops) {
		for _, r := range recs {
			t.Logf("got %s %s %s", r.EventName, r.S3.Object.Key, r.S3.Object.Sequencer)
		}
		t.Fatalf("the webhook took %d records, want exactly %d (one per change)", len(recs), len(ops))
	}
	lastSeq := map[string]string{}
	for i, op := range ops {
		r := recs[i]
		o := r.S3.Object
		if r.EventName != op.event || decodeEventKey(t, o.Key) != op.key {
			t.Errorf("record %d: %s %s, want %s %s", i, r.EventName, o.Key, op.event, op.key)
			continue
		}
		if r.EventVersion != "2.1" || r.EventSource != "aws:s3" || r.AWSRegion != testRegion || r.S3.SchemaVersion != "1.0" {
			t.Errorf("record %d header: %+v", i, r)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", r.EventTime); err != nil {
			t.Errorf("record %d eventTime %q: %v", i, r.EventTime, err)
		}
		if r.UserIdentity.PrincipalID != testAccessKey || r.RequestParameters.SourceIPAddress != "127.0.0.1" ||
			r.ResponseElements["x-amz-request-id"] == "" || r.ResponseElements["x-amz-id-2"] == "" {
			t.Errorf("record %d does not describe its request: %+v %+v %v", i, r.UserIdentity, r.RequestParameters, r.ResponseElements)
		}
		if b := r.S3.Bucket; b.Name != "events" || b.ARN != "arn:aws:s3:::events" || b.OwnerIdentity.PrincipalID == "" {
			t.Errorf("record %d bucket: %+v", i, b)
		}
		if o.VersionID != op.version {
			t.Errorf("record %d (%s %s) versionId %q, want %q", i, op.event, op.key, o.VersionID, op.version)
		}
		if strings.HasPrefix(op.event, "ObjectCreated:") {
			if o.Size == nil || *o.Size != op.size || `"`+o.ETag+`"` != op.etag {
				t.Errorf("record %d (%s) size/eTag %v %q, want %d %s", i, op.key, o.Size, o.ETag, op.size, op.etag)
			}
			if r.S3.ConfigurationID != "created" {
				t.Errorf("record %d configurationId %q, want created", i, r.S3.ConfigurationID)
			}
		} else if o.Size != nil || o.ETag != "" || r.S3.ConfigurationID != "removed" {
			t.Errorf("removal record %d carries size/eTag or the wrong configuration: %+v", i, r.S3)
		}
		if prev, ok := lastSeq[op.key]; ok && !(len(o.Sequencer) == len(prev) && o.Sequencer > prev) {
			t.Errorf("record %d: sequencer %s of %s does not follow %s", i, o.Sequencer, op.key, prev)
		}
		lastSeq[op.key] = o.Sequencer
	}
}

// TestEventNotificationsReachWebhook configures notifications with the
// aws CLI and checks that every change of a notified key reaches the
// webhook once, in order, as an S3 event record, also after the server
// was killed while the webhook was down.
func TestEventNotificationsReachWebhook(t *testing.T) {
	awsCLI(t)
	hook := startHookReceiver(t)
	data := t.TempDir()
	s := notifiedServer(t, data, hook)
	var got struct {
		QueueConfigurations []struct{ Id, QueueArn string }
		TopicConfigurations []struct{ Id, TopicArn string }
	}
	s.awsJSON(t, &got, "s3api", "get-bucket-notification-configuration", "--bucket", "events")
	if len(got.QueueConfigurations) != 1 || got.QueueConfigurations[0].QueueArn != "arn:cairn:webhook::hook" || len(got.TopicConfigurations) != 1 {
		t.Fatalf("configuration read back: %+v", got)
	}

	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	writeRandomFile(t, small, 1000)
	big := filepath.Join(dir, "big")
	writeRandomFile(t, big, 9<<20)

	var ops []eventOp
	ops = append(ops, s.putEvent(t, "n/a photo (1)+ü.txt", small))
	var cp struct {
		CopyObjectResult struct{ ETag string }
		VersionId        string
	}
	s.awsJSON(t, &cp, "s3api", "copy-object", "--bucket", "events", "--key", "n/copy.txt", "--copy-source", "events/n/a photo (1)+ü.txt")
	ops = append(ops, eventOp{"ObjectCreated:Copy", "n/copy.txt", 1000, cp.CopyObjectResult.ETag, cp.VersionId})
	s.aws(t, "s3", "cp", big, "s3://events/n/big.bin")
	var head struct {
		ETag          string
		VersionId     string
		ContentLength int64
	}
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "events", "--key", "n/big.bin")
	if !strings.Contains(head.ETag, "-") {
		t.Fatalf("n/big.bin was not uploaded in parts: ETag %s", head.ETag)
	}
	ops = append(ops, eventOp{"ObjectCreated:CompleteMultipartUpload", "n/big.bin", head.ContentLength, head.ETag, head.VersionId})
	s.putEvent(t, "other/not-notified", small)
	ops = append(ops, s.deleteEvent(t, "n/copy.txt", ""))
	marker := ops[len(ops)-1].version
	ops = append(ops, s.deleteEvent(t, "n/copy.txt", marker))
	ops = append(ops, s.deleteEvent(t, "n/copy.txt", cp.VersionId))
	ops = append(ops, s.putEvent(t, "n/fence-1", small))
	checkRecords(t, hook.until(t, "n/fence-1"), ops)
	runGuideLambda(t, hook, ops[0])

	// The webhook goes down, changes go on, the server is killed: the
	// records wait on disk and arrive once after the restart.
	hook.setDown(true)
	before := hook.attemptCount()
	ops = append(ops, s.putEvent(t, "n/while-down", small))
	ops = append(ops, s.deleteEvent(t, "n/while-down", ""))
	ops = append(ops, s.putEvent(t, "n/fence-2", small))
	for hook.attemptCount() == before {
		time.Sleep(20 * time.Millisecond)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	hook.setDown(false)
	startServeIn(t, data)
	checkRecords(t, hook.until(t, "n/fence-2"), ops)
}

// guideHandler is the Lambda handler of the S3 guide's event
// notifications section, as written, with processUpload and the way it
// is called supplied around it: the body a webhook took is its event.
const guideHandler = `
const processed = [];
async function processUpload(bucket, key) { processed.push(bucket + "/" + key); }

// Lambda triggered by S3 ObjectCreated event
async function handler(event) {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const size = record.s3.object.size;
    const eventName = record.eventName;   // e.g., 'ObjectCreated:Put'

    console.log(` + "`${eventName}: s3://${bucket}/${key} (${size} bytes)`" + `);
    await processUpload(bucket, key);
  }
}

handler(JSON.parse(require("fs").readFileSync(process.argv[2], "utf8")))
  .then(() => console.log("processed " + processed.join(",")));
`

// runGuideLambda runs the guide's handler on the body the webhook took for
// op, which must be the first record delivered.
func runGuideLambda(t *testing.T, hook *hookReceiver, op eventOp) {
	t.Helper()
	node := needTool(t, "node", "nodejs")
	dir := t.TempDir()
	hook.mu.Lock()
	body := hook.bodies[0]
	hook.mu.Unlock()
	if err := os.WriteFile(filepath.Join(dir, "event.json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "handler.js"), []byte(guideHandler), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join(dir, "handler.js"), filepath.Join(dir, "event.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("guide handler: %v\n%s", err, out)
	}
	want := "ObjectCreated:Put: s3://events/" + op.key + " (1000 bytes)\nprocessed events/" + op.key + "\n"
	if string(out) != want {
		t.Errorf("guide handler printed\n%s\nwant\n%s", out, want)
	}
}

// TestNotificationConfigurationAsS3 checks through the aws CLI what S3
// answers about configurations: none reads back empty, bad ones are
// refused with InvalidArgument, an empty one removes what was there.
func TestNotificationConfigurationAsS3(t *testing.T) {
	awsCLI(t)
	hook := startHookReceiver(t)
	s := notifiedServer(t, t.TempDir(), hook)
	s.aws(t, "s3api", "create-bucket", "--bucket", "plain")
	if out := strings.TrimSpace(s.aws(t, "s3api", "get-bucket-notification-configuration", "--bucket", "plain", "--output", "json")); out != "" && out != "{}" {
		t.Errorf("a bucket without notifications reads back %s, want an empty configuration", out)
	}
	for name, cfg := range map[string]string{
		"unknown event":      `{"QueueConfigurations":[{"QueueArn":"arn:cairn:webhook::hook","Events":["s3:ObjectCreated:Bogus"]}]}`,
		"unknown webhook":    `{"QueueConfigurations":[{"QueueArn":"arn:cairn:webhook::nobody","Events":["s3:ObjectCreated:*"]}]}`,
		"overlapping events": `{"QueueConfigurations":[{"QueueArn":"arn:cairn:webhook::hook","Events":["s3:ObjectCreated:*"]},{"QueueArn":"arn:cairn:webhook::hook","Events":["s3:ObjectCreated:Put"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"a/"}]}}}]}`,
	} {
		out, err := s.try(t, awsCLI(t), "--endpoint-url", s.endpoint, "s3api", "put-bucket-notification-configuration", "--bucket", "plain", "--notification-configuration", cfg)
		if err == nil || !strings.Contains(out, "InvalidArgument") {
			t.Errorf("%s: %v %s, want InvalidArgument", name, err, out)
		}
	}
	s.aws(t, "s3api", "put-bucket-notification-configuration", "--bucket", "plain", "--skip-destination-validation",
		"--notification-configuration", `{"QueueConfigurations":[{"QueueArn":"arn:cairn:webhook::later","Events":["s3:ObjectCreated:*"]}]}`)
	// A webhook registered while the server runs is known to it at once.
	if out, err := exec.Command(cairnBinary(t), "--data", s.dataDir, "admin", "webhook", "add", "later", hook.URL).CombinedOutput(); err != nil {
		t.Fatalf("cairn admin webhook add later: %v: %s", err, out)
	}
	s.aws(t, "s3api", "put-bucket-notification-configuration", "--bucket", "plain",
		"--notification-configuration", `{"QueueConfigurations":[{"QueueArn":"arn:cairn:webhook::later","Events":["s3:ObjectCreated:*"]}]}`)
	s.aws(t, "s3api", "put-bucket-notification-configuration", "--bucket", "events", "--notification-configuration", "{}")
	if out := strings.TrimSpace(s.aws(t, "s3api", "get-bucket-notification-configuration", "--bucket", "events", "--output", "json")); out != "" && out != "{}" {
		t.Errorf("after an empty configuration the bucket reads back %s", out)
	}
	// With notifications removed, a change sends nothing: the fence put
	// after it on the other bucket (re-configured to the hook) comes first.
	s.aws(t, "s3api", "put-bucket-notification-configuration", "--bucket", "plain", "--notification-configuration",
		`{"LambdaFunctionConfigurations":[{"Id":"fn","LambdaFunctionArn":"arn:cairn:webhook::hook","Events":["s3:ObjectCreated:Put"]}]}`)
	small := filepath.Join(t.TempDir(), "small")
	writeRandomFile(t, small, 10)
	s.aws(t, "s3api", "put-object", "--bucket", "events", "--key", "n/unnotified", "--body", small)
	s.aws(t, "s3api", "put-object", "--bucket", "plain", "--key", "fence", "--body", small)
	recs := hook.until(t, "fence")
	if len(recs) != 1 || recs[0].S3.Bucket.Name != "plain" || recs[0].S3.ConfigurationID != "fn" {
		t.Errorf("records after removing the configuration: %+v", recs)
	}
}
