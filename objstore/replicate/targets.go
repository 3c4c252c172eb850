package replicate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
)

// RemoteTarget is an S3 endpoint that destination buckets may live on,
// with the credentials to write there.
type RemoteTarget struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region,omitempty"`
	AccessKey string `json:"accessKey"`
	SecretKey string `json:"secretKey"`
}

// targetsDoc is the file's content.
type targetsDoc struct {
	Targets map[string]RemoteTarget `json:"targets"`
}

// TargetsFile is the path of the targets file of a data directory.
func TargetsFile(dataDir string) string {
	return filepath.Join(dataDir, "replication", "targets.json")
}

// Targets reads the targets file, again whenever it changed, so targets
// added while the server runs are used at once.
type Targets struct {
	path string
	mu   sync.Mutex
	mod  time.Time
	size int64
	list map[string]RemoteTarget
}

// NewTargets returns the targets kept in the file path.
func NewTargets(path string) *Targets { return &Targets{path: path} }

// Get returns the target called name and whether there is one.
func (t *Targets) Get(name string) (RemoteTarget, bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fi, err := os.Stat(t.path)
	if errors.Is(err, os.ErrNotExist) {
		return RemoteTarget{}, false, nil
	}
	if err != nil {
		return RemoteTarget{}, false, fmt.Errorf("stat %s: %w", t.path, err)
	}
	if t.list == nil || !fi.ModTime().Equal(t.mod) || fi.Size() != t.size {
		list, err := ReadTargets(t.path)
		if err != nil {
			return RemoteTarget{}, false, err
		}
		t.list, t.mod, t.size = list, fi.ModTime(), fi.Size()
	}
	rt, ok := t.list[name]
	return rt, ok, nil
}

// ReadTargets reads the targets file; a missing file holds no target.
func ReadTargets(path string) (map[string]RemoteTarget, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]RemoteTarget{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var doc targetsDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if doc.Targets == nil {
		doc.Targets = map[string]RemoteTarget{}
	}
	return doc.Targets, nil
}

// TargetNames lists the names of targets in order.
func TargetNames(list map[string]RemoteTarget) []string {
	names := make([]string, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SetTarget adds or replaces the target called name in the file path.
func SetTarget(path, name string, rt RemoteTarget) error {
	if !validTargetName(name) {
		return fmt.Errorf("target name %q: use 1 to 64 letters, digits, '-', '_' or '.'", name)
	}
	if rt.Endpoint == "" || rt.AccessKey == "" || rt.SecretKey == "" {
		return fmt.Errorf("target %s: endpoint, access key and secret key are required", name)
	}
	return updateTargets(path, func(list map[string]RemoteTarget) error {
		list[name] = rt
		return nil
	})
}

// RemoveTarget removes the target called name from the file path.
func RemoveTarget(path, name string) error {
	return updateTargets(path, func(list map[string]RemoteTarget) error {
		if _, ok := list[name]; !ok {
			return fmt.Errorf("no replication target %q", name)
		}
		delete(list, name)
		return nil
	})
}

// updateTargets rewrites the targets file atomically (mode 0600).
func updateTargets(path string, change func(map[string]RemoteTarget) error) error {
	list, err := ReadTargets(path)
	if err != nil {
		return err
	}
	if err := change(list); err != nil {
		return err
	}
	data, err := json.MarshalIndent(targetsDoc{Targets: list}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode targets: %w", err)
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o600)
}
