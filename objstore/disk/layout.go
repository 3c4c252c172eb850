package disk

import (
	"fmt"
	"os"
	"path/filepath"
)

// layout names the files and folders of a data directory.
type layout struct{ root string }

func newLayout(root string) layout { return layout{root: root} }

func (l layout) lockFile() string { return filepath.Join(l.root, "LOCK") }
func (l layout) metaDir() string  { return filepath.Join(l.root, "meta") }
func (l layout) dataDir() string  { return filepath.Join(l.root, "data") }
func (l layout) tmpDir() string   { return filepath.Join(l.root, "tmp") }

// fanout returns the folder of data files whose name begins with the two
// hex digits of b.
func (l layout) fanout(b byte) string {
	return filepath.Join(l.root, "data", fmt.Sprintf("%02x", b))
}

// dataFile returns the path of a data file.
func (l layout) dataFile(id fileID) string {
	return filepath.Join(l.fanout(id[0]), id.String())
}

// prepare empties tmp/ and creates every folder the engine writes in.
func (l layout) prepare() error {
	if err := os.RemoveAll(l.tmpDir()); err != nil {
		return fmt.Errorf("empty %s: %w", l.tmpDir(), err)
	}
	for _, d := range []string{l.metaDir(), l.tmpDir(), l.dataDir()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	for b := range 256 {
		d := l.fanout(byte(b))
		if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	return syncDir(l.dataDir())
}

// syncDir fsyncs a folder so that the entries made in it are durable.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open folder %s: %w", path, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", path, err)
	}
	return nil
}
