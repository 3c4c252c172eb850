// Package pair records which bucket prefix a local folder is synced with.
//
// `cairn sync DIR s3://bucket/prefix` keeps its state in DIR/.cairn/: the
// file pair.json names the remote side (bucket, prefix and the store it
// lives in), and the sync engine keeps its last-synced records next to it.
// Other commands find the pair of any path inside DIR by walking up to the
// nearest .cairn/pair.json, so `cairn versions DIR/a.txt` and `cairn
// restore DIR/docs --at "2h ago"` need no remote URL.
package pair

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// StateDirName is the directory at the root of a synced folder that holds
// the pair file and the sync state. The sync never uploads it.
const StateDirName = ".cairn"

// fileName is the pair file inside the state directory.
const fileName = "pair.json"

// ErrNotSynced reports a path that is not inside a synced folder.
var ErrNotSynced = errors.New("not inside a folder synced by cairn sync")

// Pair ties a local folder to a bucket prefix in one store.
type Pair struct {
	// Local is the absolute path of the synced folder.
	Local string `json:"-"`
	// Bucket and Prefix name the remote side; Prefix is "" or ends in "/".
	Bucket string `json:"bucket"`
	Prefix string `json:"prefix,omitempty"`
	// Endpoint is the S3 endpoint of the store, "" for the embedded one.
	Endpoint string `json:"endpoint,omitempty"`
	// DataDir is the embedded store's data directory when Endpoint is "".
	DataDir string `json:"data_dir,omitempty"`
	// Region and Profile complete the endpoint's configuration.
	Region  string `json:"region,omitempty"`
	Profile string `json:"profile,omitempty"`
	// Mode is the sync mode: "two-way" or "backup".
	Mode string `json:"mode,omitempty"`
}

// StateDir is the folder's state directory.
func (p Pair) StateDir() string { return filepath.Join(p.Local, StateDirName) }

// Remote is the s3:// URL of the remote side.
func (p Pair) Remote() string { return "s3://" + p.Bucket + "/" + p.Prefix }

// Key is the object key of the slash-separated path rel inside the folder.
func (p Pair) Key(rel string) string {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	return p.Prefix + rel
}

// Rel is the slash-separated path inside the folder of an object key under
// the prefix, and whether the key is under it.
func (p Pair) Rel(key string) (string, bool) {
	rel, ok := strings.CutPrefix(key, p.Prefix)
	return rel, ok && rel != ""
}

// Save writes the pair file, creating the state directory.
func (p Pair) Save() error {
	if err := os.MkdirAll(p.StateDir(), 0o700); err != nil {
		return fmt.Errorf("create sync state directory: %w", err)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode pair: %w", err)
	}
	name := filepath.Join(p.StateDir(), fileName)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}

// Load reads the pair of the folder local; it wraps os.ErrNotExist when
// the folder has none.
func Load(local string) (Pair, error) {
	abs, err := filepath.Abs(local)
	if err != nil {
		return Pair{}, fmt.Errorf("resolve %s: %w", local, err)
	}
	name := filepath.Join(abs, StateDirName, fileName)
	b, err := os.ReadFile(name)
	if err != nil {
		return Pair{}, fmt.Errorf("read sync pair: %w", err)
	}
	var p Pair
	if err := json.Unmarshal(b, &p); err != nil {
		return Pair{}, fmt.Errorf("read %s: %w", name, err)
	}
	if p.Bucket == "" {
		return Pair{}, fmt.Errorf("read %s: no bucket", name)
	}
	p.Local = abs
	return p, nil
}

// Find returns the pair of the synced folder that holds path (which need
// not exist any more) and path's slash-separated location inside it ("" for
// the folder itself). It wraps ErrNotSynced when no folder above path is
// synced.
func Find(p string) (Pair, string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return Pair{}, "", fmt.Errorf("resolve %s: %w", p, err)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		pr, err := Load(dir)
		if err == nil {
			rel, err := filepath.Rel(dir, abs)
			if err != nil {
				return Pair{}, "", fmt.Errorf("resolve %s: %w", p, err)
			}
			if rel == "." {
				rel = ""
			}
			return pr, filepath.ToSlash(rel), nil
		}
		// A file (or a path through one) has no pair of its own.
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return Pair{}, "", err
		}
		if parent := filepath.Dir(dir); parent == dir {
			return Pair{}, "", fmt.Errorf("%s: %w", p, ErrNotSynced)
		}
	}
}
