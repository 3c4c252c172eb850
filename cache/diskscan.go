package cache

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// scan creates the 256 object directories and indexes the blocks that the
// index files found in them record, the blocks of the oldest index files at
// the back of the LRU list. Files that cannot be used (a damaged index, an
// index without its data file or of another block size, a data file
// without its index) are deleted, as is the block-file layout of earlier
// versions; if the blocks exceed the capacity (it may have shrunk since
// the last run), the oldest go. Blocks are not read here: each is verified
// when it is first used.
func (d *diskTier) scan() error {
	if err := os.RemoveAll(filepath.Join(d.dir, "blocks")); err != nil {
		d.log.Warn("cache: remove the block files of an earlier version", "dir", d.dir, "err", err)
	}
	var found []*diskFile
	for i := range 256 {
		sub := d.subdir(uint64(i) << 56)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("create cache directory %s: %w", sub, err)
		}
		files, err := d.scanDir(sub)
		if err != nil {
			return err
		}
		found = append(found, files...)
	}
	slices.SortFunc(found, func(a, b *diskFile) int { return a.touched.Compare(b.touched) })
	for _, f := range found {
		d.files[f.key] = f
		for _, el := range f.blocks {
			e := el.Value.(*diskEntry)
			f.blocks[e.idx] = d.lru.PushFront(e)
			d.used += int64(e.length) + entrySize
		}
	}
	d.evictLocked()
	if len(found) > 0 {
		d.log.Debug("cache: reusing disk tier", "dir", d.dir, "files", len(d.files), "blocks", d.lru.Len(), "bytes", d.used)
	}
	return nil
}

// scanDir returns the usable files of one directory, deleting the others.
func (d *diskTier) scanDir(sub string) ([]*diskFile, error) {
	entries, err := os.ReadDir(sub)
	if err != nil {
		return nil, fmt.Errorf("scan cache directory %s: %w", sub, err)
	}
	var found []*diskFile
	indexed := map[fileKey]bool{}
	for _, de := range entries {
		k, ok := parseFileName(de.Name(), ".index")
		if !ok {
			continue
		}
		if f := d.loadFile(k); f != nil {
			found = append(found, f)
			indexed[k] = true
		} else {
			d.removeFilesLocked(&diskFile{key: k})
		}
	}
	for _, de := range entries {
		if k, ok := parseFileName(de.Name(), ".data"); ok && !indexed[k] {
			os.Remove(filepath.Join(sub, de.Name()))
		}
	}
	return found, nil
}

// loadFile reads the index of k and returns the file with the blocks it
// records, each unverified and not yet in the LRU list; nil when the files
// cannot be used.
func (d *diskTier) loadFile(k fileKey) *diskFile {
	path := d.indexPath(k)
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	ix, err := decodeIndex(buf)
	if err != nil || ix.blockSize != d.bs || nameHash(ix.name) != k.ver {
		if err != nil {
			d.log.Warn("cache: discarding index file", "path", path, "err", err)
		}
		return nil
	}
	if data, err := os.Stat(d.dataPath(k)); err != nil || data.Size() != ix.size {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("cache: discarding cache file", "path", d.dataPath(k), "err", err)
		}
		return nil
	}
	f := &diskFile{key: k, name: ix.name, size: ix.size, blocks: map[int64]*list.Element{}, touched: info.ModTime()}
	for i := range blockCount(ix.size, d.bs) {
		length, crc := ix.entry(i)
		if length == 0 || int64(length) != min(d.bs, ix.size-i*d.bs) {
			continue
		}
		f.blocks[i] = &list.Element{Value: &diskEntry{f: f, idx: i, length: length, crc: crc}}
	}
	if len(f.blocks) == 0 {
		return nil
	}
	return f
}

// parseFileName parses the name of a file written by diskTier.dataPath or
// indexPath, with the given suffix.
func parseFileName(name, suffix string) (fileKey, bool) {
	var k fileKey
	base, ok := strings.CutSuffix(name, suffix)
	if !ok || len(base) != 33 || base[16] != '-' {
		return k, false
	}
	obj, err1 := strconv.ParseUint(base[:16], 16, 64)
	ver, err2 := strconv.ParseUint(base[17:], 16, 64)
	if err1 != nil || err2 != nil {
		return k, false
	}
	return fileKey{obj: obj, ver: ver}, true
}
