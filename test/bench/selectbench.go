package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// selectSuite measures S3 Select over a large CSV object next to a plain
// GET of the same object, both through cairn's S3 server.
type selectSuite struct{}

func (selectSuite) name() string { return "select" }

func (selectSuite) about() string {
	return "S3 Select over a -file-size CSV object (default 1GiB) vs a plain GET of it, over loopback HTTP"
}

// selectQuery is the S3 guide's example query.
const selectQuery = "SELECT * FROM S3Object WHERE status = 'failed' AND amount > 1000"

// selectKey is the key of the CSV object.
const selectKey = "select/orders.csv"

func (selectSuite) run(ctx context.Context, e *env) (*table, error) {
	t := &table{title: "suite select: S3 Select of a CSV object vs GET of the same object, through cairn's S3 server", columns: [2]string{"select", "GET"}}
	name := fmt.Sprintf("select %s CSV", formatSize(e.cfg.fileSize))
	if !e.wants(name) {
		return t, nil
	}
	data, err := selectData(e)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(e.cfg.dir, "select")
	if err := os.RemoveAll(root); err != nil {
		return nil, fmt.Errorf("clear %s: %w", root, err)
	}
	defer os.RemoveAll(root)
	r, err := runSelectCase(ctx, e, root, data)
	if err != nil {
		return nil, err
	}
	r.name = name
	t.rows = append(t.rows, r)
	t.notes = selectNotes(e, r)
	return t, nil
}

// runSelectCase loads the CSV into an engine served over S3 and times a
// select of the whole object against a GET of it, one at a time.
func runSelectCase(ctx context.Context, e *env, root, data string) (r row, err error) {
	st, err := openEngine(ctx, filepath.Join(root, "engine"))
	if err != nil {
		return r, err
	}
	defer closeInto(&err, "engine", st.Close)
	if err := loadSelectData(ctx, e, st, data); err != nil {
		return r, err
	}
	srv, err := startServer(ctx, st)
	if err != nil {
		return r, err
	}
	defer closeInto(&err, "S3 server", srv.stop)
	client, err := newSDKClient(srv.endpoint, 1, false)
	if err != nil {
		return r, err
	}
	defer closeInto(&err, "S3 client", client.close)
	buf := make([]byte, 1<<20)
	sel := &side{name: "select", fn: selectOp(client, e.cfg.fileSize)}
	get := &side{name: "GET", fn: func(ctx context.Context, _ int, _ int64) (int64, error) {
		body, err := client.open(ctx, selectKey)
		if err != nil {
			return 0, err
		}
		defer body.Close()
		return drain(body, buf)
	}}
	e.logf("select: %s select vs GET, %d rounds", formatSize(e.cfg.fileSize), e.cfg.rounds)
	tm := e.timing()
	tm.warm = 0 // every operation reads the whole object: no slice is short
	if err := compareSides(ctx, tm, 1, sel, get); err != nil {
		return r, err
	}
	return row{cairn: sel.res, ceiling: get.res, unit: "op", throughput: true}, nil
}

// selectOp runs the guide's query over the object through the SDK,
// reading every event; it counts the object's bytes, as S3 bills them.
func selectOp(c *sdkClient, size int64) op {
	return func(ctx context.Context, _ int, _ int64) (int64, error) {
		out, err := c.s3.SelectObjectContent(ctx, &s3.SelectObjectContentInput{
			Bucket: aws.String(benchBucket), Key: aws.String(selectKey),
			Expression: aws.String(selectQuery), ExpressionType: types.ExpressionTypeSql,
			InputSerialization: &types.InputSerialization{
				CSV:             &types.CSVInput{FileHeaderInfo: types.FileHeaderInfoUse},
				CompressionType: types.CompressionTypeNone,
			},
			OutputSerialization: &types.OutputSerialization{CSV: &types.CSVOutput{}},
		})
		if err != nil {
			return 0, fmt.Errorf("select: %w", err)
		}
		stream := out.GetStream()
		defer stream.Close()
		var scanned int64
		for ev := range stream.Events() {
			if st, ok := ev.(*types.SelectObjectContentEventStreamMemberStats); ok {
				scanned = aws.ToInt64(st.Value.Details.BytesScanned)
			}
		}
		if err := stream.Err(); err != nil {
			return 0, fmt.Errorf("select stream: %w", err)
		}
		if scanned != size {
			return 0, fmt.Errorf("select scanned %d bytes of %d", scanned, size)
		}
		return size, nil
	}
}

// selectData returns the CSV file of -file-size bytes, generated once into
// the bench directory and reused by later runs.
func selectData(e *env) (string, error) {
	path := filepath.Join(e.cfg.dir, "select-data", fmt.Sprintf("orders-%d.csv", e.cfg.fileSize))
	if fi, err := os.Stat(path); err == nil && fi.Size() == e.cfg.fileSize {
		return path, nil
	}
	e.logf("select: writing a %s CSV file to %s", formatSize(e.cfg.fileSize), path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	tmp := path + ".tmp"
	if err := writeOrders(tmp, e.cfg.fileSize); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// writeOrders writes an orders CSV of exactly size bytes: a header, then
// rows of id, status, amount, customer and a note, the last row padded.
func writeOrders(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	statuses := []string{"failed", "ok", "ok", "pending", "refunded"}
	notes := []string{"standard", "express delivery", `"gift, wrapped"`, "", "call before delivery"}
	line := []byte("id,status,amount,customer,note\n")
	var written int64
	for id := int64(1); ; id++ {
		if written+int64(len(line)) > size {
			break
		}
		w.Write(line)
		written += int64(len(line))
		line = line[:0]
		line = strconv.AppendInt(line, id, 10)
		line = append(line, ',')
		line = append(line, statuses[r.IntN(len(statuses))]...)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(r.IntN(5000)), 10)
		line = append(line, '.')
		line = strconv.AppendInt(line, int64(10+r.IntN(90)), 10)
		line = append(line, ",cust"...)
		line = strconv.AppendInt(line, int64(r.IntN(100000)), 10)
		line = append(line, ',')
		line = append(line, notes[r.IntN(len(notes))]...)
		line = append(line, '\n')
	}
	if pad := size - written; pad > 0 {
		filler := make([]byte, pad)
		for i := range filler {
			filler[i] = ' '
		}
		filler[pad-1] = '\n'
		w.Write(filler)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// loadSelectData stores the CSV file in the engine.
func loadSelectData(ctx context.Context, e *env, st objstore.Store, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	e.logf("select: storing %s as %s", formatSize(e.cfg.fileSize), selectKey)
	if _, err := st.PutObject(ctx, benchBucket, selectKey, f, objstore.PutOptions{Size: e.cfg.fileSize}); err != nil {
		return fmt.Errorf("put %s: %w", selectKey, err)
	}
	return nil
}

// selectNotes say what each side did, with the throughputs in MiB/s.
func selectNotes(e *env, r row) []string {
	mib := func(res result) float64 {
		if res.elapsed <= 0 {
			return 0
		}
		return float64(res.bytes) / (1 << 20) / res.elapsed.Seconds()
	}
	return []string{
		fmt.Sprintf("select: SelectObjectContent of %q over the %s CSV (header USE, no compression),", selectQuery, formatSize(e.cfg.fileSize)),
		"  through aws-sdk-go-v2, every event read; its bytes are the object's (what the scan reads), not the rows returned.",
		"GET: GetObject of the same object through the same client, the body read to the end.",
		"Both go through s3api.Server on 127.0.0.1 in this process, one request at a time; -file-size sets the size.",
		fmt.Sprintf("In MiB/s: select %.1f, GET %.1f; select is %.0f%% of GET.", mib(r.cairn), mib(r.ceiling), r.ratio()),
	}
}
