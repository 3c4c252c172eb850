package selectsql

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// checkEvery is how many records pass between checks of the context and
// of the keep-alive clock.
const checkEvery = 1024

// scan is one evaluation of a query over a source.
type scan struct {
	q        *sql.Query
	src      *source
	w        *eventstream.Writer
	enc      encoder
	opts     Options
	progress bool

	buf      []byte
	vals     []sql.Value
	names    []string
	returned int64
	emitted  int64
	last     time.Time
	// raw copies the text of CSV records for SELECT * when it can.
	raw *csvEncoder
}

// run reads every record (or up to LIMIT) and sends the results.
func (s *scan) run(ctx context.Context) error {
	for n := 1; ; n++ {
		if s.q.Limit >= 0 && s.emitted >= s.q.Limit && !s.q.Aggregate {
			return nil
		}
		if s.src.end >= 0 && s.src.csv != nil && s.src.base+s.src.csv.Consumed() > s.src.end {
			return nil
		}
		rec, err := s.src.records.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.record(rec); err != nil {
			return err
		}
		if n%checkEvery == 0 {
			if err := s.tick(ctx); err != nil {
				return err
			}
		}
	}
}

// record evaluates one record.
func (s *scan) record(rec sql.Record) error {
	ok, err := s.q.Match(rec)
	if err != nil || !ok {
		return err
	}
	if s.q.Aggregate {
		return s.q.Accumulate(rec)
	}
	if s.raw != nil && s.star(rec) {
		return s.emitted1()
	}
	if s.q.Star {
		s.vals, s.names = s.vals[:0], s.names[:0]
		for i := 0; i < rec.Len(); i++ {
			s.vals = append(s.vals, rec.Index(i))
			s.names = append(s.names, rec.Name(i))
		}
	} else {
		if s.vals, err = s.q.Project(rec, s.vals); err != nil {
			return err
		}
		if s.names == nil {
			s.names = s.q.Names()
		}
	}
	s.buf = s.enc.row(s.buf, s.names, s.vals)
	return s.emitted1()
}

// star copies a CSV record's text for SELECT *, when it can.
func (s *scan) star(rec sql.Record) bool {
	rr, ok := rec.(rawRecord)
	if !ok {
		return false
	}
	raw, ok := rr.Raw()
	if !ok {
		return false
	}
	s.buf, ok = s.raw.appendRaw(s.buf, raw)
	return ok
}

// emitted1 counts a record written to the buffer, and sends the buffer
// once it holds a chunk.
func (s *scan) emitted1() error {
	s.emitted++
	if len(s.buf) >= s.opts.ChunkSize {
		return s.flush()
	}
	return nil
}

// flush sends the records gathered.
func (s *scan) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	s.returned += int64(len(s.buf))
	err := s.w.Records(s.buf)
	s.buf = s.buf[:0]
	s.last = time.Now()
	return err
}

// tick checks the context and keeps the connection alive.
func (s *scan) tick(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if time.Since(s.last) < s.opts.KeepAlive {
		return nil
	}
	s.last = time.Now()
	if s.progress {
		return s.w.Progress(s.stats())
	}
	return s.w.Cont()
}

func (s *scan) stats() eventstream.Stats {
	return eventstream.Stats{Scanned: s.src.scanned.load(), Processed: s.src.processed.load(), Returned: s.returned}
}

// finish sends the aggregate row, the last records, Stats and End.
func (s *scan) finish() error {
	if s.q.Aggregate && s.q.Limit != 0 {
		vals, err := s.q.Result()
		if err != nil {
			return err
		}
		s.buf = s.enc.row(s.buf, s.q.Names(), vals)
	}
	if err := s.flush(); err != nil {
		return err
	}
	if s.progress {
		if err := s.w.Progress(s.stats()); err != nil {
			return err
		}
	}
	if err := s.w.Stats(s.stats()); err != nil {
		return err
	}
	return s.w.End()
}
