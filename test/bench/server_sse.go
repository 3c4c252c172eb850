package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/sse"
)

// The server suite's encryption cases: PUT and GET through the S3 server
// of objects encrypted at rest, next to the same server's unencrypted ones.
var (
	sseSizes   = []int64{1 << 20, 64 << 20}
	sseWorkers = []int{1, 8}
	// sseModes are the encryptions measured, by the name rows carry.
	sseModes = []struct{ name, alg string }{{"SSE-S3", "AES256"}, {"SSE-KMS", "aws:kms"}}
)

// sseBuckets hold each side's objects: the same keys, encrypted or not.
const (
	sseBucket   = "bench-sse"
	plainBucket = "bench-plain"
)

// sseGoal is the ratio encrypted cases are held to.
func sseGoal(string, int64) float64 { return 70 }

// runServerSSE measures the encryption cases and shows them under the
// server suite's own rows.
func runServerSSE(ctx context.Context, e *env, root string, t *table) error {
	sizes := e.sizes(sseSizes)
	st := &table{
		title:   "suite server, encryption at rest: PUT and GET of encrypted objects vs unencrypted ones, same server",
		columns: [2]string{"encrypted", "unencrypted"},
		notes: []string{
			"encrypted: the same aws-sdk-go-v2 client and s3api.Server as above, with x-amz-server-side-encryption on",
			"  every PUT (AES256 for SSE-S3; aws:kms and the default KMS key for SSE-KMS), into a bucket of its own;",
			"  objects are stored as chunked AES-256-GCM under a data key of their own, sealed by the master or KMS key.",
			"unencrypted: the same client and server, the same sizes and keys, in another bucket, without the header.",
			"An encrypted GET reads its sealed chunks (pread), opens them with AES-GCM on up to GOMAXPROCS goroutines and",
			"  writes the plaintext to the socket; an unencrypted one sends the file with sendfile. Once the CPUs are busy",
			"  (×8), the ratio is about the inverse of their CPU per byte; -cpuprofile shows the split.",
		},
	}
	for _, m := range sseModes {
		plan := putGetPlan{
			names: [2]string{m.name, "unencrypted"}, sizes: sizes, workers: e.workers(sseWorkers),
			slots: serverSlots, timing: func(size int64, w int) timing { return serverTiming(e, size, w) }, goal: sseGoal,
		}
		if !plan.wanted(e) {
			continue
		}
		if err := runSSEMode(ctx, e, filepath.Join(root, "sse-"+m.alg), m.name, m.alg, plan, st); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	if len(st.rows) == 0 {
		return nil
	}
	main := *t
	main.title, main.notes = "", nil
	notes := t.notes
	t.notes = nil
	t.render = func(w io.Writer) {
		main.print(w)
		(&table{notes: notes}).printNotes(w)
		st.print(w)
	}
	return nil
}

// runSSEMode runs one encryption's cases on a server of its own.
func runSSEMode(ctx context.Context, e *env, root, name, alg string, plan putGetPlan, t *table) (err error) {
	keys, err := sse.Open(filepath.Join(root, "keys"))
	if err != nil {
		return err
	}
	defer closeInto(&err, "key service", keys.Close)
	st, err := disk.Open(filepath.Join(root, "engine"), disk.Options{Logger: warnLogger(), Keys: keys})
	if err != nil {
		return err
	}
	defer closeInto(&err, "engine", st.Close)
	for _, b := range []string{sseBucket, plainBucket} {
		if err := st.CreateBucket(ctx, b, objstore.CreateBucketOptions{}); err != nil && !errors.Is(err, objstore.ErrBucketAlreadyOwnedByYou) {
			return fmt.Errorf("create bucket %s: %w", b, err)
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
	c := &encryptedVsPlain{c: client, engine: st, enc: objstore.Encryption{Algorithm: alg}}
	rows := len(t.rows)
	if err := (&putGets{e: e, plan: plan, c: c}).run(ctx, t); err != nil {
		return err
	}
	for i := rows; i < len(t.rows); i++ {
		t.rows[i].name = name + " " + t.rows[i].name
	}
	return nil
}

// encryptedVsPlain are the contenders of the encryption cases: the S3
// server's PUT and GET of encrypted objects, and of unencrypted ones.
type encryptedVsPlain struct {
	c      *sdkClient
	engine objstore.Store
	enc    objstore.Encryption
}

func (c *encryptedVsPlain) puts(data []byte) (op, op) {
	return c.putOp(sseBucket, c.enc, data), c.putOp(plainBucket, objstore.Encryption{}, data)
}

func (c *encryptedVsPlain) gets(bufs [][]byte) (op, op) {
	return c.getOp(sseBucket, bufs), c.getOp(plainBucket, bufs)
}

func (c *encryptedVsPlain) put(ctx context.Context, bucket, key string, enc objstore.Encryption, data []byte) error {
	_, err := c.c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))), ServerSideEncryption: types.ServerSideEncryption(enc.Algorithm),
	})
	if err != nil {
		return fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return nil
}

func (c *encryptedVsPlain) putOp(bucket string, enc objstore.Encryption, data []byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		if err := c.put(ctx, bucket, slotKey(w, i), enc, data); err != nil {
			return 0, err
		}
		return int64(len(data)), nil
	}
}

func (c *encryptedVsPlain) open(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	out, err := c.c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	return out.Body, nil
}

func (c *encryptedVsPlain) getOp(bucket string, bufs [][]byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		body, err := c.open(ctx, bucket, slotKey(w, i))
		if err != nil {
			return 0, err
		}
		defer body.Close()
		return drain(body, bufs[w])
	}
}

// fillOne writes an object of each side through the engine where it is
// missing or of another size.
func (c *encryptedVsPlain) fillOne(ctx context.Context, w int, s int64, data []byte) error {
	for _, side := range []struct {
		bucket string
		enc    objstore.Encryption
	}{{sseBucket, c.enc}, {plainBucket, objstore.Encryption{}}} {
		key := slotKey(w, s)
		info, err := c.engine.HeadObject(ctx, side.bucket, key, objstore.GetOptions{})
		if err == nil && info.Size == int64(len(data)) {
			continue
		}
		_, err = c.engine.PutObject(ctx, side.bucket, key, bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data)), Encryption: side.enc})
		if err != nil {
			return fmt.Errorf("put %s/%s: %w", side.bucket, key, err)
		}
	}
	return nil
}

// verify writes an encrypted object through the server and reads it back
// through the engine, which must report it encrypted.
func (c *encryptedVsPlain) verify(ctx context.Context, data []byte) error {
	if err := c.put(ctx, sseBucket, verifyKey, c.enc, data); err != nil {
		return err
	}
	obj, err := c.engine.GetObject(ctx, sseBucket, verifyKey, objstore.GetOptions{})
	if err != nil {
		return fmt.Errorf("read back %s: %w", verifyKey, err)
	}
	defer obj.Body.Close()
	if obj.Info.Encryption.Algorithm != c.enc.Algorithm {
		return fmt.Errorf("%s stored with encryption %q, want %q", verifyKey, obj.Info.Encryption.Algorithm, c.enc.Algorithm)
	}
	return sameBytes(obj.Body, verifyKey, data)
}

// check reads the first object of each side back through the server.
func (c *encryptedVsPlain) check(ctx context.Context, data []byte) error {
	for _, b := range []string{sseBucket, plainBucket} {
		body, err := c.open(ctx, b, slotKey(0, 0))
		if err != nil {
			return err
		}
		err = sameBytes(body, slotKey(0, 0), data)
		body.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", b, err)
		}
	}
	return nil
}
