package selectsql

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
	"github.com/cairnfs/cairn/objstore/selectsql/input"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// Object is the object a query reads.
type Object interface {
	// Size is the object's length in bytes.
	Size() int64
	// Open streams length bytes of the object from offset (to its end
	// when length < 0).
	Open(ctx context.Context, offset, length int64) (io.ReadCloser, error)
	// ReadAt reads for the Parquet reader, which needs the footer first.
	io.ReaderAt
}

// Options tune a run.
type Options struct {
	// KeepAlive is how long a scan goes without sending anything before
	// it sends a Cont event (a Progress event when the request asked for
	// progress). Default one second.
	KeepAlive time.Duration
	// ChunkSize is the size of result records a Records event gathers
	// before it is sent. Default 256 KiB.
	ChunkSize int
}

func (o Options) withDefaults() Options {
	if o.KeepAlive <= 0 {
		o.KeepAlive = time.Second
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 256 << 10
	}
	return o
}

// Run evaluates a validated request over obj and sends the events of the
// answer to w: Records, Cont or Progress while it scans, then Stats and
// End. An error it returns before w sent anything (w.Sent == 0) is the
// request's; after that the caller ends the stream with an error event.
func Run(ctx context.Context, req *Request, obj Object, w *eventstream.Writer, opts Options) error {
	q, err := sql.Parse(req.Expression)
	if err != nil {
		return err
	}
	src, err := openInput(ctx, req, q, obj)
	if err != nil {
		return err
	}
	defer src.close()
	s := &scan{q: q, src: src, w: w, opts: opts.withDefaults(), progress: req.RequestProgress.Enabled,
		enc: newEncoder(&req.OutputSerialization), last: time.Now()}
	if ce, ok := s.enc.(*csvEncoder); ok && q.Star && ce.passthrough(req.InputSerialization.CSV) {
		s.raw = ce
	}
	if err := s.run(ctx); err != nil {
		return err
	}
	return s.finish()
}

func newEncoder(out *OutputSerialization) encoder {
	if out.CSV != nil {
		return newCSVEncoder(out.CSV)
	}
	return newJSONEncoder(out.JSON)
}

// source is an open input and its byte counters.
type source struct {
	records input.Reader
	// scanned counts bytes read from the object, processed what they
	// decompress to.
	scanned, processed *counter
	// end is the offset after which no record starts (scan range), or -1.
	end, base int64
	csv       *input.CSV
	closers   []io.Closer
}

func (s *source) close() {
	for _, c := range s.closers {
		c.Close()
	}
}

// openInput opens the object in its input format.
func openInput(ctx context.Context, req *Request, q *sql.Query, obj Object) (*source, error) {
	in := req.InputSerialization
	src := &source{scanned: &counter{}, end: -1}
	if in.Parquet != nil {
		src.processed = src.scanned
		p, err := input.NewParquet(&countingReaderAt{r: obj, c: src.scanned}, obj.Size())
		src.records = p
		return src, err
	}
	start, length := scanRange(req.ScanRange, obj.Size(), src)
	rc, err := obj.Open(ctx, start, length)
	if err != nil {
		return nil, err
	}
	src.closers = append(src.closers, rc)
	r, err := decompress(in.CompressionType, &countingReader{r: rc, c: src.scanned})
	if err != nil {
		src.close()
		return nil, err
	}
	src.processed = &counter{}
	ra := newReadahead(&countingReader{r: r, c: src.processed})
	src.closers = append(src.closers, ra)
	r = ra
	if in.JSON != nil {
		j := input.NewJSON(r, q.Path)
		src.records = j
		src.closers = append(src.closers, j)
		return src, nil
	}
	if src.records, err = openCSV(ctx, r, in.CSV, src, obj); err != nil {
		src.close()
		return nil, err
	}
	return src, nil
}

// scanRange works out what to read of the object for a scan range: from
// the byte before Start (so that a record starting right at Start is
// found after the delimiter before it) to the end, records starting after
// End dropped as they come.
func scanRange(sr *ScanRange, size int64, src *source) (start, length int64) {
	if sr == nil {
		return 0, -1
	}
	if sr.Start != nil && *sr.Start > 0 {
		start = min(*sr.Start-1, size)
	}
	src.base = start
	if sr.End != nil {
		src.end = *sr.End
	}
	return start, -1
}

// openCSV reads CSV records. A scan range that starts past the header
// still names the columns by it: the header is read from the object's
// start.
func openCSV(ctx context.Context, r io.Reader, in *CSVInput, src *source, obj Object) (input.Reader, error) {
	opts := in.options()
	if src.base == 0 {
		c, err := input.NewCSV(r, opts)
		src.csv = c
		return c, err
	}
	var header *input.Header
	if opts.FileHeaderInfo == "USE" {
		var err error
		if header, err = readHeader(ctx, obj, opts); err != nil {
			return nil, err
		}
	}
	opts.FileHeaderInfo = "NONE"
	c, err := input.NewCSV(r, opts)
	if err != nil {
		return nil, err
	}
	c.SetHeader(header)
	if err := c.SkipPartial(); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	src.csv = c
	return c, nil
}

// readHeader reads the header line at the start of the object.
func readHeader(ctx context.Context, obj Object, opts input.CSVOptions) (*input.Header, error) {
	rc, err := obj.Open(ctx, 0, -1)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	c, err := input.NewCSV(io.LimitReader(rc, input.MaxRecordSize+1), opts)
	if err != nil {
		return nil, err
	}
	return c.Header(), nil
}
