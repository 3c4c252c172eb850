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
// and, while it holds content not yet stored, a record that says where it
// goes: the data file's extended attribute user.cairn.record where the
// file system has user extended attributes (one system call sets or
// replaces it, atomically), else a file "<id>.json" beside it, replaced
// atomically by a temporary file and a rename. A record is removed once
// the upload succeeds, so after a crash every record names data that
// must still be uploaded.
type journal struct {
	dir   string
	lock  *os.File
	mem   *partMem // lends the buffers of parts held in memory (see stream)
	xattr bool     // records are kept in recordAttr
}

// recordAttr is the extended attribute of a staged file that holds its
// record.
const recordAttr = "user.cairn.record"

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
	return &journal{dir: dir, lock: lock, mem: newPartMem(partMemory), xattr: hasUserXattr(dir)}, nil
}

// hasUserXattr tells whether files in dir take user extended attributes.
func hasUserXattr(dir string) bool {
	f, err := os.CreateTemp(dir, ".probe-*.tmp")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	defer f.Close()
	return unix.Fsetxattr(int(f.Fd()), recordAttr, []byte("{}"), 0) == nil
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
	if s.j.xattr {
		if err := unix.Fsetxattr(int(s.f.Fd()), recordAttr, b, 0); err != nil {
			return fmt.Errorf("journal %s: %w", r.Key, err)
		}
		return nil
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
	if s.j.xattr {
		if err := unix.Fremovexattr(int(s.f.Fd()), recordAttr); err != nil && !errors.Is(err, unix.ENODATA) {
			return fmt.Errorf("settle staged file: %w", err)
		}
		return nil
	}
	if err := os.Remove(s.j.path(s.id, ".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("settle staged file: %w", err)
	}
	return nil
}

// discard closes and removes the staged file and its record.
func (s *staged) discard() {
	s.f.Close()
	if !s.j.xattr {
		os.Remove(s.j.path(s.id, ".json"))
	}
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
		if ok && !keep[id] {
			p, err := j.loadAttr(id)
			switch {
			case err != nil:
				warn("unreadable journal record: its staged content, which holds it, is set aside", "content", j.path(id, ".data"+damagedSuffix), "err", err)
				os.Rename(j.path(id, ".data"), j.path(id, ".data"+damagedSuffix))
				continue
			case p != nil:
				out = append(out, *p)
				continue
			}
		}
		if ok && !keep[id] || strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(filepath.Join(j.dir, e.Name()))
		}
	}
	return out, nil
}

// loadAttr reads the record a staged file holds in its extended
// attribute; nil when it has none.
func (j *journal) loadAttr(id string) (*pendingFile, error) {
	data := j.path(id, ".data")
	b, err := getXattr(data, recordAttr)
	if err != nil || b == nil {
		return nil, err
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("journal record of %s: %w", data, err)
	}
	return &pendingFile{record: r, data: data}, nil
}

// getXattr returns the extended attribute name of path; nil when the
// file has none of that name, or the file system no such attributes.
func getXattr(path, name string) ([]byte, error) {
	for {
		n, err := unix.Getxattr(path, name, nil)
		if errors.Is(err, unix.ENODATA) || errors.Is(err, unix.ENOTSUP) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read journal record of %s: %w", path, err)
		}
		buf := make([]byte, n)
		k, err := unix.Getxattr(path, name, buf)
		if errors.Is(err, unix.ERANGE) {
			continue // it grew meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read journal record of %s: %w", path, err)
		}
		return buf[:k], nil
	}
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
