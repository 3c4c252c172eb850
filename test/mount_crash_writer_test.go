package test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
)

// killFile is what a client was told of one file written through a
// mount that is then killed.
type killFile struct {
	name    string
	created bool  // open(O_CREAT) succeeded: the mount knows the file
	acked   int64 // bytes write(2) returned for, all written in order
	closed  bool  // close(2) succeeded: the file is journaled, stored or being stored
	open    bool  // still open when the mount was killed
}

// killLedger records, as a writer goes, what each write and close
// returned. It is shared by the writer and the test that kills the mount.
type killLedger struct {
	mu     sync.Mutex
	files  map[string]*killFile
	order  []string
	acks   int           // successful writes and closes so far
	killAt int           // acks after which reached is closed
	reach  chan struct{} // closed once acks reaches killAt
}

func newKillLedger(killAt int) *killLedger {
	return &killLedger{files: map[string]*killFile{}, killAt: killAt, reach: make(chan struct{})}
}

// file returns the entry of name, adding it.
func (l *killLedger) file(name string) *killFile {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.files[name]; ok {
		return f
	}
	f := &killFile{name: name}
	l.files[name] = f
	l.order = append(l.order, name)
	return f
}

// update changes an entry under the lock and counts an acknowledgement
// when ack is set.
func (l *killLedger) update(f *killFile, ack bool, fn func(f *killFile)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn(f)
	if !ack {
		return
	}
	l.acks++
	if l.acks == l.killAt {
		close(l.reach)
	}
}

// snapshot returns copies of every entry, in the order they were made.
func (l *killLedger) snapshot() []killFile {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]killFile, 0, len(l.order))
	for _, name := range l.order {
		out = append(out, *l.files[name])
	}
	return out
}

// killContent is the content a file of the crash test is written with:
// n reproducible bytes of its own.
func killContent(name string, n int64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8(sha256.Sum256([]byte(name))).Read(b)
	return b
}

// killWriter writes a workload into a mount and records each answer
// in its ledger, until an answer fails (the mount was killed) or stop
// is closed after the workload is done.
type killWriter struct {
	dir    string
	prefix string // of the names of this round
	l      *killLedger
	stop   <-chan struct{}

	held []*os.File // files left open for the test to close after the kill
}

// errStopped ends a workload the mount was not killed during.
var errStopped = errors.New("stopped")

// run is the workload: a file that stays open and grows now and then, a
// small file written and closed, a large file written in 1 MiB writes
// (uploaded part by part while written) with small files written and
// closed in between, then more small files. It returns the first
// failure.
func (w *killWriter) run() error {
	open, err := w.create("open.txt")
	if err != nil {
		return err
	}
	w.held = append(w.held, open)
	if err := w.write(open, "open.txt", 4<<10); err != nil {
		return err
	}
	if err := w.whole("closed.txt", 64<<10); err != nil {
		return err
	}
	big, err := w.create("big.bin")
	if err != nil {
		return err
	}
	w.held = append(w.held, big)
	for c := range 16 {
		if err := w.write(big, "big.bin", 1<<20); err != nil {
			return err
		}
		if c%4 != 3 {
			continue
		}
		if err := w.write(open, "open.txt", 4<<10); err != nil {
			return err
		}
		if err := w.whole(fmt.Sprintf("between-%d.txt", c), 32<<10); err != nil {
			return err
		}
	}
	if err := w.close(big, "big.bin"); err != nil {
		return err
	}
	for i := range 100 {
		if err := w.whole(fmt.Sprintf("after-%03d.txt", i), 8<<10); err != nil {
			return err
		}
	}
	<-w.stop
	return errStopped
}

// create creates name, empty.
func (w *killWriter) create(name string) (*os.File, error) {
	e := w.l.file(w.prefix + name)
	f, err := os.OpenFile(filepath.Join(w.dir, w.prefix+name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	w.l.update(e, false, func(e *killFile) { e.created, e.open = true, true })
	return f, nil
}

// write appends the next n bytes of name's content to f.
func (w *killWriter) write(f *os.File, name string, n int64) error {
	e := w.l.file(w.prefix + name)
	w.l.mu.Lock()
	off := e.acked
	w.l.mu.Unlock()
	k, err := f.Write(killContent(w.prefix+name, off+n)[off:])
	w.l.update(e, err == nil, func(e *killFile) { e.acked += int64(k) })
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// close closes f, the file name.
func (w *killWriter) close(f *os.File, name string) error {
	e := w.l.file(w.prefix + name)
	err := f.Close()
	w.l.update(e, err == nil, func(e *killFile) { e.open, e.closed = false, err == nil })
	if err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	return nil
}

// whole creates name, writes n bytes to it and closes it.
func (w *killWriter) whole(name string, n int64) error {
	f, err := w.create(name)
	if err != nil {
		return err
	}
	if err := w.write(f, name, n); err != nil {
		w.held = append(w.held, f)
		return err
	}
	return w.close(f, name)
}

// closeHeld closes the files left open, which fails on a dead mount.
func (w *killWriter) closeHeld() {
	for _, f := range w.held {
		f.Close()
	}
}
