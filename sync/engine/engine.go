package engine

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/cairnfs/cairn/sync/state"
)

// maxScopes is how many changed paths a pass looks at one by one; more
// make it a whole-folder pass.
const maxScopes = 64

// Engine syncs one pair: a local folder and a bucket prefix.
type Engine struct {
	root   string
	pair   pair.Pair
	store  objstore.Store
	db     *state.DB
	opts   Options
	warned sync.Map // path -> struct{}: warned about once
}

// New returns an engine for p on store, keeping its records in db.
func New(store objstore.Store, p pair.Pair, db *state.DB, opts Options) *Engine {
	return &Engine{root: p.Local, pair: p, store: store, db: db, opts: opts.withDefaults()}
}

// Pass runs one pass over the given paths (slash-separated, relative to
// the folder; a directory covers everything below it, a path gone locally
// the directories removed with it, and its nearest directory still there
// when that is left holding nothing: see widen), or over the whole
// folder when none is given. It returns what it did, or with
// Options.DryRun what it would do. An action that fails is counted in the
// Summary and does not stop the pass; an error means the pass as a whole
// could not run (a side could not be listed, or a safety check refused it).
func (e *Engine) Pass(ctx context.Context, paths ...string) (Summary, []Action, error) {
	scopes, full := normalize(e.widen(paths))
	p, err := e.plan(ctx, scopes)
	if err != nil {
		return Summary{}, nil, err
	}
	if err := e.findRenames(p); err != nil {
		return Summary{}, nil, err
	}
	if err := e.checkSafety(p, full); err != nil {
		return Summary{}, nil, err
	}
	if e.opts.DryRun {
		return Summary{Pending: p.pending}, p.actions, nil
	}
	sum := e.apply(ctx, p.actions)
	sum.Pending += p.pending
	if err := e.db.Sync(); err != nil {
		return sum, p.actions, fmt.Errorf("save sync state: %w", err)
	}
	return sum, p.actions, nil
}

// plan merges the three sides of every scope and decides each path.
func (e *Engine) plan(ctx context.Context, scopes []string) (*plan, error) {
	p := newPlan()
	for _, scope := range scopes {
		if err := e.planScope(ctx, p, scope); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// normalize sorts and dedupes the scopes of a pass, dropping those inside
// another; no paths, a "" path or too many mean the whole folder.
func normalize(paths []string) (scopes []string, full bool) {
	if len(paths) == 0 || len(paths) > maxScopes || slices.Contains(paths, "") {
		return []string{""}, true
	}
	sorted := slices.Clone(paths)
	slices.Sort(sorted)
	for _, s := range sorted {
		if n := len(scopes); n > 0 && under(s, scopes[n-1]) {
			continue
		}
		scopes = append(scopes, s)
	}
	return scopes, false
}

// warn logs a problem with one path.
func (e *Engine) warn(msg, rel string, err error) {
	e.opts.Logger.Warn(msg, "path", rel, "err", err)
}

// warnOnce logs a message about rel the first time only.
func (e *Engine) warnOnce(rel, format string, args ...any) {
	if _, seen := e.warned.LoadOrStore(rel, struct{}{}); !seen {
		e.opts.Logger.Warn(fmt.Sprintf(format, args...))
	}
}
