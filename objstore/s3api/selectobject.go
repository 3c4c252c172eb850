package s3api

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql"
	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
)

// selectObjectContent serves SelectObjectContent (POST ?select&select-type=2):
// it runs the request's SQL over the object and answers in the
// event-stream encoding. Errors found before the first event are plain
// S3 XML errors; later ones end the stream with an error event.
func (s *Server) selectObjectContent(ctx context.Context, rq *request) error {
	if t := rq.query.Get("select-type"); t != "2" {
		return fmt.Errorf("select-type %q: %w", t, objstore.ErrInvalidArgument)
	}
	var req selectsql.Request
	if err := readXML(rq, &req); err != nil {
		return err
	}
	if err := req.Validate(); err != nil {
		return err
	}
	opts, err := selectGetOptions(rq)
	if err != nil {
		return err
	}
	info, err := s.store.HeadObject(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	if info.VersionID != "" && info.VersionID != "null" {
		opts.VersionID = info.VersionID // every read sees the same version
	}
	obj := &selectObject{ctx: ctx, store: s.store, bucket: rq.bucket, key: rq.key, opts: opts, size: info.Size}
	rq.w.Header().Set("Content-Type", "application/octet-stream")
	rc := http.NewResponseController(rq.w)
	w := eventstream.NewWriter(rq.w, rc.Flush)
	err = selectsql.Run(ctx, &req, obj, w, selectsql.Options{})
	if err == nil || w.Sent == 0 {
		return err
	}
	e := objstore.AsError(err)
	if e == objstore.ErrInternal {
		s.log.Error("select failed mid-stream", "bucket", rq.bucket, "key", rq.key, "request_id", rq.id, "err", err)
	}
	if werr := w.Error(e.Code, e.Message); werr != nil {
		s.log.Debug("select error event not sent", "request_id", rq.id, "err", werr)
	}
	return nil
}

// selectGetOptions reads the version and the SSE-C key of the object to
// select from.
func selectGetOptions(rq *request) (objstore.GetOptions, error) {
	opts := objstore.GetOptions{VersionID: rq.query.Get("versionId")}
	var err error
	opts.SSECustomerKey, err = customerKey(rq, "")
	return opts, err
}

// selectObject reads one version of an object for selectsql by ranged
// GETs through the store.
type selectObject struct {
	ctx         context.Context
	store       objstore.Store
	bucket, key string
	opts        objstore.GetOptions
	size        int64
}

func (o *selectObject) Size() int64 { return o.size }

// Open streams length bytes from offset (to the end when length < 0).
func (o *selectObject) Open(ctx context.Context, offset, length int64) (io.ReadCloser, error) {
	opts := o.opts
	if offset >= o.size {
		return io.NopCloser(eofReader{}), nil
	}
	if offset > 0 || length >= 0 {
		last := int64(-1)
		if length >= 0 {
			last = offset + length - 1
		}
		opts.Range = &objstore.Range{First: offset, Last: last}
	}
	obj, err := o.store.GetObject(ctx, o.bucket, o.key, opts)
	if err != nil {
		return nil, fmt.Errorf("open %s/%s: %w", o.bucket, o.key, err)
	}
	return obj.Body, nil
}

// ReadAt reads len(p) bytes at off by a ranged GET.
func (o *selectObject) ReadAt(p []byte, off int64) (int, error) {
	if off >= o.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), o.size-off)
	rc, err := o.Open(o.ctx, off, n)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	got, err := io.ReadFull(rc, p[:n])
	if err != nil {
		return got, fmt.Errorf("read %s/%s at %d: %w", o.bucket, o.key, off, err)
	}
	if int(n) < len(p) {
		return got, io.EOF
	}
	return got, nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
