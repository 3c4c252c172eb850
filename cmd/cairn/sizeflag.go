package main

import "github.com/cairnfs/cairn/daemon"

// sizeFlag is a byte count flag that takes 4096, 512K, 64MiB, 10G, 1TiB
// (binary multiples, with or without "iB" or "B"), read as the daemon's
// config reads sizes.
type sizeFlag int64

func (s *sizeFlag) String() string { return formatSize(int64(*s), true) }

// Type names the flag's value in help.
func (s *sizeFlag) Type() string { return "size" }

// Set parses a size.
func (s *sizeFlag) Set(v string) error {
	n, err := daemon.ParseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}
