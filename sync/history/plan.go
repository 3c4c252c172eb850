package history

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// ErrDidNotExist reports a file restored to a time when it did not exist.
var ErrDidNotExist = errors.New("did not exist at the time restored")

// Request says what to restore and as of when.
type Request struct {
	Bucket string
	// Key is the file's key or, with Tree, the prefix of the tree: ""
	// or ending in "/".
	Key  string
	Tree bool
	// At is the time to go back to. VersionID, for a file only, names
	// the version to bring back instead.
	At        time.Time
	VersionID string
	// KeepNewer keeps what did not exist then instead of removing it.
	KeepNewer bool
}

// Op is what one step of a restore does.
type Op int

// The steps of a restore.
const (
	// OpWrite writes the version to the local path: a file, or a
	// symbolic link when its mode says so.
	OpWrite Op = iota
	// OpMkdir creates the directory of a directory marker.
	OpMkdir
	// OpSame finds the version already in place; only its mode and
	// mtime are set again.
	OpSame
	// OpRemove removes a local file or link that did not exist then.
	OpRemove
	// OpRemoveDir removes a local directory that did not exist then, if
	// nothing kept is left in it.
	OpRemoveDir
	// OpCopy copies the version onto its key, server side: a new latest
	// version with the old content and metadata.
	OpCopy
	// OpDelete puts a delete marker on a key that did not exist then.
	OpDelete
	// OpSkip leaves a key alone that cannot be restored here; Reason
	// says why.
	OpSkip
)

var opNames = [...]string{"restore", "mkdir", "unchanged", "remove", "rmdir", "restore", "delete", "skip"}

// String names the op as restore's log lines do.
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Step is one action of a restore.
type Step struct {
	Op  Op
	Key string
	// Path is the slash-separated local path under the plan's Root, or
	// the key in a restore onto the bucket.
	Path string
	// Version is the version written, copied or already in place.
	Version objstore.ObjectInfo
	// Reason says why a key is skipped.
	Reason string
}

// Plan is a restore worked out and not yet done.
type Plan struct {
	Bucket string
	// Root is the local directory every local step's Path is under; ""
	// for a restore onto the bucket.
	Root  string
	Steps []Step
}

// Remote tells whether the plan restores onto the bucket.
func (p *Plan) Remote() bool { return p.Root == "" }

// Bytes is how many bytes the plan writes or copies.
func (p *Plan) Bytes() int64 {
	var n int64
	for _, s := range p.Steps {
		if s.Op == OpWrite || s.Op == OpCopy {
			n += s.Version.Size
		}
	}
	return n
}

// Summary counts what a plan does or did.
type Summary struct {
	// Restored counts files, links and keys written or copied back.
	Restored int
	// Bytes is the size of what was restored.
	Bytes int64
	// Dirs counts directories created.
	Dirs int
	// Unchanged counts files and directories already as they were.
	Unchanged int
	// Removed counts local paths removed and delete markers added.
	Removed int
	// Skipped counts keys that could not be restored here.
	Skipped int
	// Failed counts steps that failed.
	Failed int
}

// Summary counts what the plan would do if every step succeeded.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, st := range p.Steps {
		s.count(st)
	}
	return s
}

// count adds a done step to s.
func (s *Summary) count(st Step) {
	switch st.Op {
	case OpWrite, OpCopy:
		s.Restored++
		s.Bytes += st.Version.Size
	case OpMkdir:
		s.Dirs++
	case OpSame:
		s.Unchanged++
	case OpRemove, OpRemoveDir, OpDelete:
		s.Removed++
	case OpSkip:
		s.Skipped++
	}
}

// states yields the KeyStates a request restores: every key under the
// tree's prefix, or the one file.
func (r Request) states(ctx context.Context, st objstore.ObjectStore) iter.Seq2[KeyState, error] {
	if r.Tree {
		return StateAt(ctx, st, r.Bucket, r.Key, r.At)
	}
	return func(yield func(KeyState, error) bool) {
		var (
			ks  KeyState
			err error
		)
		if r.VersionID != "" {
			ks, err = VersionState(ctx, st, r.Bucket, r.Key, r.VersionID)
		} else {
			ks, err = FileStateAt(ctx, st, r.Bucket, r.Key, r.At)
		}
		yield(ks, err)
	}
}

// check refuses requests that make no sense.
func (r Request) check() error {
	switch {
	case r.Bucket == "":
		return errors.New("restore: no bucket")
	case r.Tree && r.VersionID != "":
		return errors.New("restore: a version ID names the version of one file, not of a folder")
	case r.VersionID == "" && r.At.IsZero():
		return errors.New("restore: no time and no version to restore")
	}
	return nil
}

// missing is the error for a file restored to a time before it existed.
func (r Request) missing() error {
	if r.VersionID != "" {
		return fmt.Errorf("version %s is a delete marker: the file %w", r.VersionID, ErrDidNotExist)
	}
	return fmt.Errorf("%w (%s)", ErrDidNotExist, r.At.Local().Format(time.RFC3339))
}
