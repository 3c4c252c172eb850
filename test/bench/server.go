package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// serverSuite measures cairn's S3 server (objstore/s3api over the disk
// engine, as cairn serve runs it) against the same engine in-process.
type serverSuite struct{}

func (serverSuite) name() string { return "server" }

func (serverSuite) about() string {
	return "objstore/s3api over loopback HTTP vs the same objstore/disk in-process"
}

// The server suite's default object sizes and worker counts.
var (
	serverSizes   = []int64{4 << 10, 1 << 20, 64 << 20}
	serverWorkers = []int{1, 16, 64}
)

// serverBudget bounds the bytes of a case. Each worker cycles over fewer
// than putGetSlots objects when they would hold more than this (but at
// least one); a case whose one operation per worker moves this much or
// more runs one slice per side and no warm-up, since every slice lasts at
// least that long whatever -duration says.
const serverBudget = 1 << 30

func (serverSuite) run(ctx context.Context, e *env) (*table, error) {
	t := &table{
		title:   "suite server: cairn serve's S3 API over loopback HTTP vs the engine in-process",
		columns: [2]string{"server", "engine"},
	}
	plan := putGetPlan{
		names:   [2]string{"server", "engine"},
		sizes:   e.sizes(serverSizes),
		workers: e.workers(serverWorkers),
		slots:   serverSlots,
		timing:  func(size int64, workers int) timing { return serverTiming(e, size, workers) },
		goal:    serverGoal,
	}
	if !plan.wanted(e) {
		return t, nil
	}
	root := filepath.Join(e.cfg.dir, "server")
	if err := os.RemoveAll(root); err != nil {
		return nil, fmt.Errorf("clear %s: %w", root, err)
	}
	defer os.RemoveAll(root)
	if err := runServerPutGet(ctx, e, root, plan, t); err != nil {
		return nil, err
	}
	t.notes = serverNotes(e, plan)
	if err := runServerSSE(ctx, e, root, t); err != nil {
		return nil, err
	}
	return t, nil
}

// runServerPutGet serves an engine in root over S3 on a loopback port and
// runs the plan's cases against the server and the engine itself.
func runServerPutGet(ctx context.Context, e *env, root string, plan putGetPlan, t *table) (err error) {
	st, err := openEngine(ctx, filepath.Join(root, "engine"))
	if err != nil {
		return err
	}
	defer closeInto(&err, "engine", st.Close)
	if e.cfg.bucketPolicy {
		if err := st.PutBucketConfig(ctx, benchBucket, "policy", []byte(benchPolicy)); err != nil {
			return fmt.Errorf("bucket policy of %s: %w", benchBucket, err)
		}
	}
	srv, err := startServer(ctx, st)
	if err != nil {
		return err
	}
	defer closeInto(&err, "S3 server", srv.stop)
	client, err := newSDKClient(srv.endpoint, maxOf(plan.workers), e.cfg.signedPayload)
	if err != nil {
		return err
	}
	defer closeInto(&err, "S3 client", client.close)
	pg := &putGets{e: e, plan: plan, c: &serverVsEngine{server: client, engine: st}}
	return pg.run(ctx, t)
}

// benchPolicy is the bucket policy -bucket-policy sets: an Allow and a
// Deny with conditions, which every request evaluates (and neither
// refuses the bench's requests).
const benchPolicy = `{"Version":"2012-10-17","Statement":[
{"Sid":"ReadWrite","Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject","s3:PutObject"],
 "Resource":"arn:aws:s3:::` + benchBucket + `/*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}},
{"Sid":"NoOldTLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::` + benchBucket + `","arn:aws:s3:::` + benchBucket + `/*"],
 "Condition":{"StringEquals":{"s3:signatureversion":"AWS2"}}}]}`

// closeInto runs close and keeps its error in *err unless one is there.
func closeInto(err *error, what string, close func() error) {
	if cerr := close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("close %s: %w", what, cerr)
	}
}

// serverSlots is how many objects each worker cycles over: putGetSlots,
// fewer when they would pass serverBudget, at least one.
func serverSlots(size int64, workers int) int64 {
	return max(1, min(putGetSlots, serverBudget/(size*int64(workers))))
}

// serverTiming is the default timing, except for cases whose one
// operation per worker moves serverBudget or more: those run one slice
// per side, without warm-up.
func serverTiming(e *env, size int64, workers int) timing {
	tm := e.timing()
	if size*int64(workers) >= serverBudget {
		tm.warm, tm.rounds = 0, 1
	}
	return tm
}

// serverGoal is the ratio a case is held to: large objects 80%, small
// ones 50%, for PUT and GET alike.
func serverGoal(_ string, size int64) float64 {
	switch {
	case size >= 16<<20:
		return 80
	case size <= 64<<10:
		return 50
	}
	return 0
}

// serverNotes say what each column measured and how the bytes were bounded.
func serverNotes(e *env, plan putGetPlan) []string {
	payload := "UNSIGNED-PAYLOAD (headers signed with SigV4, the body not hashed; -signed-payload hashes it on both ends)"
	if e.cfg.signedPayload {
		payload = "signed payload (SHA-256 of every body on the client, verified by the server as it reads)"
	}
	notes := []string{
		"server: aws-sdk-go-v2's S3 client called directly (leaner than cairn's objstore/s3client, which parses every",
		"  response's headers into an ObjectInfo) to s3api.Server on 127.0.0.1 in the same process: path-style,",
		"  HTTP/1.1, one attempt per call, no checksums, an idle connection kept for each worker;",
		"  " + payload + ".",
		"  Client and server share the machine's CPUs: the server column pays for the SDK, HTTP and the server.",
		"engine: the same disk.Store's PutObject and GetObject called directly, on the same keys and bytes.",
		"Before timing, each size is written through either side and read back through the other; before each GET,",
		"  both sides read an object back and must return the bytes written. GET bodies are read to the end.",
		fmt.Sprintf("Each worker cycles over %d objects (unversioned bucket: a PUT replaces one), fewer when they would hold",
			putGetSlots),
		fmt.Sprintf("  more than %s per case (at least one).", formatSize(serverBudget)),
	}
	if e.cfg.bucketPolicy {
		notes = append(notes, "-bucket-policy: the bucket has a policy (an Allow and a Deny, each with a condition) that every request evaluates.")
	}
	for _, size := range plan.sizes {
		for _, w := range plan.workers {
			if size*int64(w) >= serverBudget && plan.sizeWanted(e, size) {
				notes = append(notes, fmt.Sprintf("%s ×%d: one object per worker; every slice moves %s at the least, so one slice per side, no warm-up.",
					formatSize(size), w, formatSize(size*int64(w))))
			}
		}
	}
	return notes
}
