package mount

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// A journal keeps staged files in a directory: each as "<id>.data",
// and, while it holds content not yet stored, a record "<id>.json" that
// says where it goes. A record is replaced atomically (temp file and
// rename) and removed once the upload succeeds, so after a crash every
// record names data that must still be uploaded.
type journal struct {
	dir  string
	lock *os.File
	mem  *partMem // lends the buffers of parts held in memory (see stream)
}

// record is what a journal keeps of a staged file that is not stored
// yet. Its mtime is the data file's.
type record struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	Mode   uint32 `json:"mode"`
	UID    uint32 `json:"uid"`
	GID    uint32 `json:"gid"`
}

// openJournal opens (creating it) the journal in dir and locks it, so
// that two mounts never share one.
func openJournal(dir string) (*journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("staging dir %s: %w", dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("staging dir %s: %w", dir, err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("staging dir %s is in use by another mount: %w", dir, err)
	}
	return &journal{dir: dir, lock: lock, mem: newPartMem(partMemory)}, nil
}

// close unlocks the journal.
func (j *journal) close() error {
	return j.lock.Close()
}

// staged is one staged file.
type staged struct {
	j  *journal
	id string
	f  *os.File
}

// create makes a new, empty staged file.
func (j *journal) create() (*staged, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("staged file id: %w", err)
	}
	id := hex.EncodeToString(b[:])
	f, err := os.OpenFile(j.path(id, ".data"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create staged file: %w", err)
	}
	return &staged{j: j, id: id, f: f}, nil
}

func (j *journal) path(id, ext string) string { return filepath.Join(j.dir, id+ext) }

// size returns the staged file's length.
func (s *staged) size() (int64, error) {
	st, err := s.f.Stat()
	if err != nil {
		return 0, fmt.Errorf("stat staged file: %w", err)
	}
	return st.Size(), nil
}

// journal records r: the staged file holds content to store as r says.
func (s *staged) journal(r record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal %s: %w", r.Key, err)
	}
	tmp := s.j.path(s.id, ".json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("journal %s: %w", r.Key, err)
	}
	if err := os.Rename(tmp, s.j.path(s.id, ".json")); err != nil {
		return fmt.Errorf("journal %s: %w", r.Key, err)
	}
	return nil
}

// settle removes the record: the content is stored.
func (s *staged) settle() error {
	if err := os.Remove(s.j.path(s.id, ".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("settle staged file: %w", err)
	}
	return nil
}

// discard closes and removes the staged file and its record.
func (s *staged) discard() {
	s.f.Close()
	os.Remove(s.j.path(s.id, ".json"))
	os.Remove(s.j.path(s.id, ".data"))
}

// pendingFile is a journaled staged file found at open.
type pendingFile struct {
	record
	data string // path of the content
}

// damagedSuffix is added to the record and the content of a staged file
// whose record cannot be read: they are set aside, never deleted, for
// someone to look at.
const damagedSuffix = "-damaged"

// pending returns the staged files whose content was not stored, and
// removes every staged file that has nothing left to store. A record
// that cannot be read is set aside with its content (see damagedSuffix)
// and reported to warn, so that it neither stops the mount nor is lost.
func (j *journal) pending(warn func(msg string, args ...any)) ([]pendingFile, error) {
	ents, err := os.ReadDir(j.dir)
	if err != nil {
		return nil, fmt.Errorf("read staging dir %s: %w", j.dir, err)
	}
	var out []pendingFile
	keep := map[string]bool{}
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		p, err := j.load(id)
		if err != nil {
			keep[id] = true
			warn("unreadable journal record: it and its staged content are set aside", "record", j.path(id, ".json"+damagedSuffix), "content", j.path(id, ".data"+damagedSuffix), "err", err)
			os.Rename(j.path(id, ".data"), j.path(id, ".data"+damagedSuffix))
			os.Rename(j.path(id, ".json"), j.path(id, ".json"+damagedSuffix))
			continue
		}
		if p != nil {
			out = append(out, *p)
			keep[id] = true
		}
	}
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".data")
		if ok && !keep[id] || strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(filepath.Join(j.dir, e.Name()))
		}
	}
	return out, nil
}

// load reads the record id; nil when its data is gone.
func (j *journal) load(id string) (*pendingFile, error) {
	b, err := os.ReadFile(j.path(id, ".json"))
	if err != nil {
		return nil, fmt.Errorf("read journal record %s: %w", id, err)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("journal record %s: %w", id, err)
	}
	data := j.path(id, ".data")
	if _, err := os.Stat(data); err != nil {
		os.Remove(j.path(id, ".json"))
		return nil, nil
	}
	return &pendingFile{record: r, data: data}, nil
}

// done removes a pending file once it is stored.
func (j *journal) done(p pendingFile) {
	os.Remove(strings.TrimSuffix(p.data, ".data") + ".json")
	os.Remove(p.data)
}
