package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/state"
)

// Kind is what an action does.
type Kind int

// The kinds of actions.
const (
	Upload       Kind = iota + 1 // store the local file remotely
	Download                     // write the remote object locally
	DeleteRemote                 // delete the object (a delete marker when versioned)
	DeleteLocal                  // remove the local file
	RenameRemote                 // server-side copy From to Rel, then delete From
	RenameLocal                  // rename the local file From to Rel
	Conflict                     // both changed: keep both
	UpdateMeta                   // local mode or mtime changed, content did not
	Record                       // both sides agree: renew the record
	Forget                       // both sides are gone: drop the record
	PullMeta                     // remote mode or mtime changed, content did not
	Adopt                        // note the remote LastModified first seen
)

var kindNames = map[Kind]string{
	Upload: "upload", Download: "download", DeleteRemote: "delete remote", DeleteLocal: "delete local",
	RenameRemote: "rename remote", RenameLocal: "rename local", Conflict: "conflict",
	UpdateMeta: "update attributes", Record: "record", Forget: "forget",
	PullMeta: "update local attributes", Adopt: "adopt",
}

func (k Kind) String() string { return kindNames[k] }

// Action is one step of a pass on one path.
type Action struct {
	Kind Kind
	Rel  string
	// From is the old path of a rename.
	From string
	// Size is how many bytes the action moves.
	Size int64
	e    entry
	from entry // the old path's entry, of a rename
	// keep holds the directories ("dir/") whose marker stays after the
	// pass: removing the directories a local delete left empty stops at
	// them.
	keep map[string]bool
}

func (a Action) String() string {
	if a.From != "" {
		return fmt.Sprintf("%s %s -> %s", a.Kind, a.From, a.Rel)
	}
	return fmt.Sprintf("%s %s", a.Kind, a.Rel)
}

// Quiet tells whether the action only touches the state database.
func (a Action) Quiet() bool { return a.Kind == Record || a.Kind == Forget || a.Kind == Adopt }

// Refusals of the safety checks.
var (
	ErrTooManyDeletes = errors.New("refusing to delete so many files")
	ErrEmptySide      = errors.New("refusing to read an empty side as 'delete everything'")
)

// shaMeta is the user metadata that carries an uploaded file's SHA-256.
const shaMeta = "cairn-sha256"

// plan is what one pass will do.
type plan struct {
	actions []Action
	pending int
	// records, locals and remotes count the files the pass saw; dirs
	// counts the records of directories.
	records, locals, remotes, dirs int
	// keep is Action.keep of the pass.
	keep map[string]bool
}

// newPlan returns an empty plan.
func newPlan() *plan { return &plan{keep: map[string]bool{}} }

// count adds en to what the pass saw.
func (p *plan) count(en entry) {
	switch {
	case en.isDir():
		if en.s != nil {
			p.dirs++
		}
		return
	case en.s != nil:
		p.records++
	}
	if en.l != nil {
		p.locals++
	}
	if en.r != nil {
		p.remotes++
	}
}

// decide adds to p what to do with en, and tells whether something stays
// at its path remotely after the pass (or may: a path left for later
// counts as staying). below, for a directory, tells whether something
// stays below it remotely.
func (e *Engine) decide(ctx context.Context, p *plan, en entry, below bool, unreadable []string) (stays bool, err error) {
	p.count(en)
	if e.waits(en, unreadable) {
		p.pending++
		if en.isDir() {
			p.keep[en.rel] = true
		}
		return true, nil
	}
	var k Kind
	switch {
	case en.isDir():
		k, err = e.decideDir(en, below)
	case e.opts.Mode == Backup:
		k, err = e.decideBackup(ctx, en)
	default:
		k, err = e.decideTwoWay(ctx, en)
	}
	if err != nil {
		return false, err
	}
	stays = k == Upload || k == Conflict || en.r != nil && k != DeleteRemote
	if en.isDir() && stays {
		p.keep[en.rel] = true
	}
	if k != 0 {
		p.actions = append(p.actions, Action{Kind: k, Rel: en.rel, Size: moves(k, en), e: en, keep: p.keep})
	}
	return stays, nil
}

// waits tells whether the entry is left for a later pass: its file is
// still being written (an empty directory just made may be about to be
// filled), or it lies under a directory that could not be read.
func (e *Engine) waits(en entry, unreadable []string) bool {
	for _, u := range unreadable {
		if under(en.rel, u) {
			return true
		}
	}
	if en.l == nil || en.l.dir && !en.l.empty {
		return false
	}
	// A future mtime was set on purpose (touch -d, an unpacked archive):
	// a file being written has the current time.
	age := e.opts.Now().Sub(time.Unix(0, en.l.mtime))
	return age >= 0 && age < e.opts.Settle
}

// moves returns how many bytes an action of kind k on en transfers.
func moves(k Kind, en entry) int64 {
	switch k {
	case Upload:
		return en.l.size
	case Download:
		return en.r.size
	case Conflict:
		return en.l.size + en.r.size
	}
	return 0
}

// decideTwoWay is the three-way compare of the two-way mode.
func (e *Engine) decideTwoWay(ctx context.Context, en entry) (Kind, error) {
	l, r, s := en.l, en.r, en.s
	if s == nil {
		switch {
		case r == nil:
			return Upload, nil
		case l == nil:
			return Download, nil
		}
		return e.sameOrConflict(ctx, en)
	}
	lch, metaOnly, err := e.localChanged(l, s)
	if err != nil {
		return 0, err
	}
	rch := r == nil || r.etag != s.ETag
	switch {
	case !lch && !rch:
		return remoteMeta(r, s, metaOnly), nil
	case lch && !rch:
		if l == nil {
			return DeleteRemote, nil
		}
		return Upload, nil
	case !lch && rch:
		if r == nil {
			return DeleteLocal, nil
		}
		return Download, nil
	case l == nil && r == nil:
		return Forget, nil
	case l == nil:
		return Download, nil // a modification beats a delete
	case r == nil:
		return Upload, nil
	}
	return e.sameOrConflict(ctx, en)
}

// remoteMeta decides for a path whose content changed on neither side:
// local attributes changed (UpdateMeta), or the remote's did (PullMeta: the
// object was copied onto itself, its LastModified moved), or a LastModified
// is seen for the first time (Adopt).
func remoteMeta(r *remote, s *state.Record, localMeta bool) Kind {
	switch {
	case localMeta:
		return UpdateMeta
	case s.Modified == 0:
		return Adopt
	case r.modified.UnixMilli() != s.Modified:
		return PullMeta
	}
	return 0
}

// decideBackup decides in backup mode: the local folder is the source.
func (e *Engine) decideBackup(ctx context.Context, en entry) (Kind, error) {
	l, r, s := en.l, en.r, en.s
	switch {
	case l == nil && s == nil:
		return 0, nil // a remote file the backup never had: not ours
	case l == nil && r == nil:
		return Forget, nil
	case l == nil:
		return DeleteRemote, nil
	case s == nil && r == nil:
		return Upload, nil
	case s == nil:
		if same, err := e.same(ctx, l, r); err != nil || same {
			return Record, err
		}
		return Upload, nil
	}
	lch, metaOnly, err := e.localChanged(l, s)
	if err != nil {
		return 0, err
	}
	switch {
	case lch || r == nil || r.etag != s.ETag:
		return Upload, nil
	case metaOnly:
		return UpdateMeta, nil
	}
	return 0, nil
}

// sameOrConflict tells Record when both sides hold the same content, else
// Conflict.
func (e *Engine) sameOrConflict(ctx context.Context, en entry) (Kind, error) {
	same, err := e.same(ctx, en.l, en.r)
	if err != nil {
		return 0, err
	}
	if same {
		return Record, nil
	}
	return Conflict, nil
}

// localChanged tells whether the local side changed since the record s
// (a missing file has changed), and whether only its mode or mtime did.
func (e *Engine) localChanged(l *local, s *state.Record) (changed, metaOnly bool, err error) {
	if l == nil {
		return true, false, nil
	}
	if l.sameStat(s) {
		return false, false, nil
	}
	if l.size != s.Size {
		return true, false, nil
	}
	if err := l.hash(e.root); err != nil {
		return false, false, err
	}
	if l.sha != s.Hash {
		return true, false, nil
	}
	return false, true, nil
}

// same tells whether the local file and the remote object hold the same
// content: by MD5 against a simple object's ETag, else by the SHA-256 the
// sync stored with the object. Unknown counts as different, which keeps both.
func (e *Engine) same(ctx context.Context, l *local, r *remote) (bool, error) {
	if l.size != r.size {
		return false, nil
	}
	if !strings.Contains(r.etag, "-") {
		if err := l.hashMD5(e.root); err != nil {
			return false, err
		}
		return l.md5 == r.etag, nil
	}
	if err := l.hash(e.root); err != nil {
		return false, err
	}
	info, err := e.store.HeadObject(ctx, e.pair.Bucket, r.key, objstore.GetOptions{})
	if err != nil {
		return false, fmt.Errorf("head %s: %w", r.key, err)
	}
	return info.UserMetadata[shaMeta] == l.sha, nil
}
