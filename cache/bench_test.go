package cache

import (
	"context"
	"testing"
)

// benchHit measures reads of n bytes that hit one tier of a cache holding
// a 16 MiB object with 1 MiB blocks.
func benchHit(b *testing.B, opts Options, n int64) {
	src := newSource(16<<20, 20)
	opts.BlockSize = 1 << 20
	c := open(b, opts)
	ctx := context.Background()
	p := make([]byte, n)
	for off := int64(0); off < src.size(); off += opts.BlockSize {
		if _, err := c.ReadAt(ctx, obj1, src.size(), p, off, src.fetch); err != nil {
			b.Fatal(err)
		}
	}
	fail := noFetch(b)
	b.SetBytes(n)
	for i := 0; b.Loop(); i++ {
		off := int64(i%16) << 20
		if _, err := c.ReadAt(ctx, obj1, src.size(), p, off, fail); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemoryHit4K reads 4 KiB from the memory tier.
func BenchmarkMemoryHit4K(b *testing.B) { benchHit(b, Options{MemoryBytes: 64 << 20}, 4<<10) }

// BenchmarkMemoryHit1M reads 1 MiB from the memory tier.
func BenchmarkMemoryHit1M(b *testing.B) { benchHit(b, Options{MemoryBytes: 64 << 20}, 1<<20) }

// BenchmarkDiskHit4K reads 4 KiB from the disk tier (memory tier off).
func BenchmarkDiskHit4K(b *testing.B) {
	benchHit(b, Options{DiskDir: b.TempDir(), DiskBytes: 64 << 20}, 4<<10)
}

// BenchmarkDiskHit1M reads 1 MiB from the disk tier (memory tier off).
func BenchmarkDiskHit1M(b *testing.B) {
	benchHit(b, Options{DiskDir: b.TempDir(), DiskBytes: 64 << 20}, 1<<20)
}
