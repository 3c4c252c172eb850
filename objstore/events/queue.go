package events

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"
)

// queue is the durable delivery queue: one entry per record to send, kept
// in a pebble store under the data directory until its target took it.
// Entries are keyed by target and sequence number, so each target's
// records read back in the order they were queued.
type queue struct {
	db *pebble.DB
}

// Key layout: 'q' TARGET 0x00 SEQ(8 bytes, big endian) → body; 'm' "seq" →
// the highest sequence number queued.
const (
	queuePrefix = 'q'
	metaPrefix  = 'm'
)

var seqMetaKey = []byte{metaPrefix, 's', 'e', 'q'}

// openQueue opens (or creates) the queue in dir and returns it with the
// highest sequence number it ever held.
func openQueue(dir string, log *slog.Logger) (*queue, uint64, error) {
	db, err := pebble.Open(dir, &pebble.Options{
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             pebbleLogger{log: log},
	})
	if err != nil {
		return nil, 0, fmt.Errorf("open event queue %s: %w", dir, err)
	}
	q := &queue{db: db}
	last, err := q.lastSeq()
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	return q, last, nil
}

func (q *queue) lastSeq() (uint64, error) {
	v, closer, err := q.db.Get(seqMetaKey)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read event sequence: %w", err)
	}
	defer closer.Close()
	if len(v) != 8 {
		return 0, fmt.Errorf("event sequence record of %d bytes", len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// entryKey is the key of target's entry seq.
func entryKey(target string, seq uint64) []byte {
	k := make([]byte, 0, 1+len(target)+1+8)
	k = append(k, queuePrefix)
	k = append(k, target...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// targetPrefix is the key prefix of target's entries.
func targetPrefix(target string) []byte {
	return append(append([]byte{queuePrefix}, target...), 0)
}

// add queues body for target as entry seq, synced to disk before it
// returns (concurrent adds share their syncs).
func (q *queue) add(target string, seq uint64, body []byte) error {
	b := q.db.NewBatch()
	defer b.Close()
	b.Set(entryKey(target, seq), body, nil)
	b.Set(seqMetaKey, binary.BigEndian.AppendUint64(nil, seq), nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("queue event %d for %s: %w", seq, target, err)
	}
	return nil
}

// entry is one queued record.
type entry struct {
	key  []byte
	seq  uint64
	body []byte
}

// first returns target's oldest entry, or nil when it has none.
func (q *queue) first(target string) (*entry, error) {
	prefix := targetPrefix(target)
	it, err := q.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return nil, fmt.Errorf("read event queue of %s: %w", target, err)
	}
	defer it.Close()
	if !it.First() {
		return nil, it.Error()
	}
	k := bytes.Clone(it.Key())
	return &entry{key: k, seq: binary.BigEndian.Uint64(k[len(k)-8:]), body: bytes.Clone(it.Value())}, nil
}

// remove drops a delivered entry. It is not synced: after a crash the
// entry may come back and be delivered again, which at-least-once allows.
func (q *queue) remove(e *entry) error {
	if err := q.db.Delete(e.key, pebble.NoSync); err != nil {
		return fmt.Errorf("remove delivered event %d: %w", e.seq, err)
	}
	return nil
}

// targets lists the targets that have entries queued.
func (q *queue) targets() ([]string, error) {
	lo := []byte{queuePrefix}
	it, err := q.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, fmt.Errorf("scan event queue: %w", err)
	}
	defer it.Close()
	var out []string
	for ok := it.First(); ok; {
		k := it.Key()
		end := bytes.IndexByte(k[1:], 0)
		if end < 0 {
			ok = it.Next()
			continue
		}
		target := string(k[1 : 1+end])
		out = append(out, target)
		ok = it.SeekGE(prefixEnd(targetPrefix(target)))
	}
	return out, it.Error()
}

// count returns the number of queued entries of target.
func (q *queue) count(target string) (int, error) {
	prefix := targetPrefix(target)
	it, err := q.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return 0, fmt.Errorf("count event queue of %s: %w", target, err)
	}
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n, it.Error()
}

func (q *queue) close() error {
	if err := q.db.Close(); err != nil {
		return fmt.Errorf("close event queue: %w", err)
	}
	return nil
}

// prefixEnd is the first key after every key starting with prefix.
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// pebbleLogger sends pebble's logs to slog.
type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	l.log.Debug(fmt.Sprintf(format, args...), "component", "event-queue")
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), "component", "event-queue")
}

// Fatalf is called by pebble on corruption it cannot go on from; it must
// not return.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.log.Error(msg, "component", "event-queue", "fatal", true)
	panic("event queue: " + msg)
}
