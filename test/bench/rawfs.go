package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// rawPut is the PUT ceiling: what a durable replace of a file costs on
// this disk. It writes the bytes to a temp file, fsyncs it, renames it
// over the target and fsyncs the directory.
func rawPut(dir string, data []byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		final := filepath.Join(dir, slotKey(w, i))
		tmp := final + ".tmp"
		if err := writeSynced(tmp, data); err != nil {
			return 0, err
		}
		if err := os.Rename(tmp, final); err != nil {
			return 0, fmt.Errorf("rename %s: %w", tmp, err)
		}
		return int64(len(data)), syncDir(dir)
	}
}

// rawGet is the GET ceiling: reading the file rawPut wrote.
func rawGet(dir string, bufs [][]byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		f, err := os.Open(filepath.Join(dir, slotKey(w, i)))
		if err != nil {
			return 0, fmt.Errorf("open: %w", err)
		}
		defer f.Close()
		return drain(f, bufs[w])
	}
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open dir %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

// drain reads r to its end through buf, the same way on both sides, and
// returns how many bytes it read.
func drain(r io.Reader, buf []byte) (int64, error) {
	var total int64
	for {
		n, err := r.Read(buf)
		total += int64(n)
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("read after %d bytes: %w", total, err)
		}
	}
}
