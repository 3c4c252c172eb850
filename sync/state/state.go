// Package state keeps the last-synced record of every path of one sync
// pair: what the local file and the remote object were the last time the
// two sides agreed. The sync engine decides each change by a three-way
// compare of the local file, the remote object and this record.
//
// Records live in a pebble database in the pair's state directory. Writes
// are not synced one by one: a record lost to a crash only costs the next
// pass a content compare (both sides present, no record, same content
// hash: agreed again), never a wrong decision, because a record is written
// only after the remote side already holds what it describes.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/internal/flock"
	"github.com/cockroachdb/pebble/v2"
)

// Record is the last-synced state of one path. The path of a directory
// (kept by the sync when it has a marker object) ends in "/"; its record
// has no Size or Hash, and ETag is that of the marker.
type Record struct {
	// Size, Mtime (Unix nanoseconds) and Mode (st_mode) of the local file
	// as it was when synced: unchanged values mean an unchanged file
	// without reading it.
	Size  int64  `json:"s"`
	Mtime int64  `json:"m"`
	Mode  uint32 `json:"p"`
	// Hash is the hex SHA-256 of the content (of the target for a symlink).
	Hash string `json:"h"`
	// ETag and VersionID identify the remote version that holds it.
	ETag      string `json:"e"`
	VersionID string `json:"v,omitempty"`
	// Modified is the remote version's LastModified as listed (Unix
	// milliseconds), 0 until a listing showed it: a copy of an object
	// onto itself (new attributes, same content) keeps the ETag and
	// changes only this.
	Modified int64 `json:"t,omitempty"`
}

// Upload is a multipart upload in flight for a path, kept so that an
// interrupted upload resumes from the parts already stored.
type Upload struct {
	ID    string `json:"id"`
	Size  int64  `json:"s"`
	Mtime int64  `json:"m"`
}

// Key prefixes of the two record kinds.
const (
	recordPrefix = "f/"
	uploadPrefix = "u/"
)

// ErrLocked reports a state database another process has open: another
// cairn sync of the same folder is running.
var ErrLocked = errors.New("another cairn sync of this folder is running")

// DB is the state database of one sync pair.
type DB struct {
	db   *pebble.DB
	lock *os.File
}

// Open opens (creating if needed) the state database in dir.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create sync state %s: %w", dir, err)
	}
	lock, err := flock.Lock(filepath.Join(dir, "cairn.lock"))
	if errors.Is(err, flock.ErrLocked) {
		return nil, fmt.Errorf("open sync state %s: %w", dir, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open sync state %s: %w", dir, err)
	}
	db, err := pebble.Open(dir, &pebble.Options{
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             quietLogger{},
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("open sync state %s: %w", dir, err)
	}
	return &DB{db: db, lock: lock}, nil
}

// Close flushes and closes the database.
func (d *DB) Close() error {
	defer d.lock.Close()
	if err := d.db.Flush(); err != nil {
		d.db.Close()
		return fmt.Errorf("flush sync state: %w", err)
	}
	return d.db.Close()
}

// Sync makes every write so far durable.
func (d *DB) Sync() error {
	return d.db.LogData(nil, pebble.Sync)
}

// Get returns the record of rel and whether there is one.
func (d *DB) Get(rel string) (Record, bool, error) {
	var r Record
	ok, err := d.get(recordPrefix+rel, &r)
	return r, ok, err
}

// Put stores the record of rel.
func (d *DB) Put(rel string, r Record) error { return d.put(recordPrefix+rel, r) }

// Delete removes the record of rel.
func (d *DB) Delete(rel string) error { return d.del(recordPrefix + rel) }

// GetUpload returns the upload in flight for rel, if any.
func (d *DB) GetUpload(rel string) (Upload, bool, error) {
	var u Upload
	ok, err := d.get(uploadPrefix+rel, &u)
	return u, ok, err
}

// PutUpload remembers the upload in flight for rel, durably.
func (d *DB) PutUpload(rel string, u Upload) error {
	if err := d.put(uploadPrefix+rel, u); err != nil {
		return err
	}
	return d.Sync()
}

// DeleteUpload forgets the upload of rel.
func (d *DB) DeleteUpload(rel string) error { return d.del(uploadPrefix + rel) }

// Entry is one record and its path.
type Entry struct {
	Rel string
	Record
}

// Records yields the records whose path is under (or equal to) scope, in
// byte order of their paths; scope "" means every record. A scope "a/b"
// covers "a/b" and "a/b/…", not "a/bc".
func (d *DB) Records(scope string) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if scope == "" {
			d.scan(recordPrefix, yield)
			return
		}
		if r, ok, err := d.Get(scope); err != nil || ok {
			if !yield(Entry{scope, r}, err) || err != nil {
				return
			}
		}
		d.scan(recordPrefix+scope+"/", yield)
	}
}

// Count returns the number of records.
func (d *DB) Count() (int, error) {
	n := 0
	for _, err := range d.Records("") {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// scan yields the records whose keys start with prefix.
func (d *DB) scan(prefix string, yield func(Entry, error) bool) {
	it, err := d.db.NewIter(&pebble.IterOptions{
		LowerBound: []byte(prefix),
		UpperBound: prefixEnd([]byte(prefix)),
	})
	if err != nil {
		yield(Entry{}, fmt.Errorf("read sync state: %w", err))
		return
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		var e Entry
		e.Rel = string(it.Key()[len(recordPrefix):])
		if err := json.Unmarshal(it.Value(), &e.Record); err != nil {
			if !yield(e, fmt.Errorf("read sync state of %s: %w", e.Rel, err)) {
				return
			}
			continue
		}
		if !yield(e, nil) {
			return
		}
	}
	if err := it.Error(); err != nil {
		yield(Entry{}, fmt.Errorf("read sync state: %w", err))
	}
}

// get decodes the value of key into v.
func (d *DB) get(key string, v any) (bool, error) {
	b, closer, err := d.db.Get([]byte(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read sync state of %s: %w", key[2:], err)
	}
	defer closer.Close()
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("read sync state of %s: %w", key[2:], err)
	}
	return true, nil
}

// put encodes v as the value of key.
func (d *DB) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode sync state of %s: %w", key[2:], err)
	}
	if err := d.db.Set([]byte(key), b, pebble.NoSync); err != nil {
		return fmt.Errorf("write sync state of %s: %w", key[2:], err)
	}
	return nil
}

// del removes key.
func (d *DB) del(key string) error {
	if err := d.db.Delete([]byte(key), pebble.NoSync); err != nil {
		return fmt.Errorf("write sync state of %s: %w", key[2:], err)
	}
	return nil
}

// prefixEnd returns the smallest key above every key starting with p.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// quietLogger drops pebble's informational messages and keeps the rest
// off the terminal: errors reach the caller as returned errors.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}
