package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
	"github.com/cairnfs/cairn/internal/flock"
)

// FileName is the name of the identity file in a data directory.
const FileName = "iam.json"

// readState reads the state in path; a missing file is an empty state.
func readState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &st, nil
}

// writeState writes st to path atomically and durably, mode 0600.
func writeState(path string, st *State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o600)
}

// lock takes the exclusive lock that serializes changes to the file,
// waiting while another command holds it.
func lock(ctx context.Context, path string) (release func(), err error) {
	for {
		f, err := flock.Lock(path + ".lock")
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, flock.ErrLocked) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s.lock: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
