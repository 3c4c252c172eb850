package engine

import (
	"fmt"
	"slices"
)

// findRenames turns a delete of an unchanged file plus the creation of a
// file with the same content elsewhere into one rename: a local rename
// becomes a server-side copy, a remote rename a local rename, and no byte
// moves.
func (e *Engine) findRenames(p *plan) error {
	if err := e.findLocalRenames(p); err != nil {
		return err
	}
	if e.opts.Mode == TwoWay {
		e.findRemoteRenames(p)
	}
	p.actions = slices.DeleteFunc(p.actions, func(a Action) bool { return a.Kind == 0 })
	return nil
}

// findLocalRenames pairs a file that left path A (its remote unchanged)
// with one that appeared at B, unknown to the record and the remote, with
// the same content.
func (e *Engine) findLocalRenames(p *plan) error {
	gone := map[string][]int{} // content hash -> DeleteRemote actions
	sizes := map[int64]bool{}
	for i, a := range p.actions {
		if a.Kind == DeleteRemote && !a.e.isDir() && a.e.s != nil && a.e.r != nil && a.e.r.etag == a.e.s.ETag {
			gone[a.e.s.Hash] = append(gone[a.e.s.Hash], i)
			sizes[a.e.s.Size] = true
		}
	}
	if len(gone) == 0 {
		return nil
	}
	for i, a := range p.actions {
		if a.Kind != Upload || a.e.isDir() || a.e.s != nil || a.e.r != nil || !sizes[a.e.l.size] {
			continue
		}
		if err := a.e.l.hash(e.root); err != nil {
			return fmt.Errorf("hash %s: %w", a.Rel, err)
		}
		if j, ok := take(gone, a.e.l.sha); ok {
			p.actions[i] = Action{Kind: RenameRemote, Rel: a.Rel, From: p.actions[j].Rel, e: a.e, from: p.actions[j].e}
			p.actions[j].Kind = 0
		}
	}
	return nil
}

// findRemoteRenames pairs an object that left key A (the local file still
// as recorded) with one that appeared at B with the same ETag.
func (e *Engine) findRemoteRenames(p *plan) {
	gone := map[string][]int{} // ETag -> DeleteLocal actions
	for i, a := range p.actions {
		if a.Kind == DeleteLocal && !a.e.isDir() && a.e.s != nil && a.e.l != nil && a.e.l.sameStat(a.e.s) {
			gone[a.e.s.ETag] = append(gone[a.e.s.ETag], i)
		}
	}
	if len(gone) == 0 {
		return
	}
	for i, a := range p.actions {
		if a.Kind != Download || a.e.isDir() || a.e.s != nil || a.e.l != nil {
			continue
		}
		if j, ok := take(gone, a.e.r.etag); ok {
			p.actions[i] = Action{Kind: RenameLocal, Rel: a.Rel, From: p.actions[j].Rel, e: a.e, from: p.actions[j].e, keep: p.keep}
			p.actions[j].Kind = 0
		}
	}
}

// take removes and returns one index listed under k.
func take(m map[string][]int, k string) (int, bool) {
	idx := m[k]
	if len(idx) == 0 {
		return 0, false
	}
	m[k] = idx[1:]
	return idx[0], true
}

// checkSafety refuses a plan that deletes too much, or that reads an empty
// side as everything deleted (whole-folder passes only), unless Force.
func (e *Engine) checkSafety(p *plan, full bool) error {
	if e.opts.Force {
		return nil
	}
	if full && p.records > 0 {
		if p.locals == 0 {
			return fmt.Errorf("%w: the local folder %s is empty but %d files were synced before; if they were deleted on purpose, run again with --force", ErrEmptySide, e.root, p.records)
		}
		if p.remotes == 0 && e.opts.Mode == TwoWay {
			return fmt.Errorf("%w: %s is empty but %d files were synced before (their versions are still in the bucket's history); to delete them locally too, run again with --force; to upload them again, run with --mode backup", ErrEmptySide, e.pair.Remote(), p.records)
		}
	}
	deletes := 0
	for _, a := range p.actions {
		if a.Kind == DeleteLocal || a.Kind == DeleteRemote {
			deletes++
		}
	}
	if deletes <= 1 {
		return nil
	}
	total := p.records + p.dirs
	if !full {
		// A pass over some paths weighs its deletes against every file.
		var err error
		if total, err = e.db.Count(); err != nil {
			return err
		}
	}
	if deletes*100 > e.opts.MaxDelete*total {
		return fmt.Errorf("%w: this pass would delete %d of %d synced files, more than --max-delete %d%%; run again with --force if that is what you want", ErrTooManyDeletes, deletes, total, e.opts.MaxDelete)
	}
	return nil
}
