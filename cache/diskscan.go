package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// scan creates the 256 block directories and indexes the block files found
// in them, oldest modification time at the back of the LRU list. Leftover
// temporary files of an interrupted write are deleted; if the files exceed
// the capacity (it may have shrunk since the last run), the oldest go.
// Files are not read here: each is verified when it is first used.
func (d *diskTier) scan() error {
	var found []*diskEntry
	for i := range 256 {
		sub := d.subdir(uint64(i) << 56)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("create cache directory %s: %w", sub, err)
		}
		entries, err := d.scanDir(sub)
		if err != nil {
			return err
		}
		found = append(found, entries...)
	}
	slices.SortFunc(found, func(a, b *diskEntry) int { return a.touched.Compare(b.touched) })
	for _, e := range found {
		d.insert(e)
	}
	d.evict()
	if len(found) > 0 {
		d.log.Debug("cache: reusing disk tier", "dir", d.dir, "blocks", len(d.index), "bytes", d.used)
	}
	return nil
}

// scanDir returns the block files of one directory.
func (d *diskTier) scanDir(sub string) ([]*diskEntry, error) {
	entries, err := os.ReadDir(sub)
	if err != nil {
		return nil, fmt.Errorf("scan cache directory %s: %w", sub, err)
	}
	var found []*diskEntry
	for _, de := range entries {
		path := filepath.Join(sub, de.Name())
		if strings.Contains(de.Name(), ".tmp-") {
			os.Remove(path)
			continue
		}
		id, ok := parseBlockName(de.Name())
		if !ok || !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		found = append(found, &diskEntry{id: id, size: info.Size(), touched: info.ModTime()})
	}
	return found, nil
}

// parseBlockName parses a block file name written by diskTier.path.
func parseBlockName(name string) (fileID, bool) {
	var id fileID
	base, ok := strings.CutSuffix(name, ".blk")
	if !ok || len(base) != 33 || base[16] != '-' {
		return id, false
	}
	obj, err1 := strconv.ParseUint(base[:16], 16, 64)
	blk, err2 := strconv.ParseUint(base[17:], 16, 64)
	if err1 != nil || err2 != nil {
		return id, false
	}
	return fileID{obj: obj, blk: blk}, true
}
