package cache

import "sync/atomic"

// Stats reports the activity and the size of each tier. Counts are blocks
// unless the name says bytes.
type Stats struct {
	// MemoryHits counts blocks served from the memory tier.
	MemoryHits int64
	// MemoryMisses counts lookups the memory tier could not serve.
	MemoryMisses int64
	// DiskHits counts blocks served from the disk tier.
	DiskHits int64
	// DiskMisses counts lookups the disk tier could not serve.
	DiskMisses int64
	// Fetches counts calls of a Fetcher.
	Fetches int64
	// FetchedBytes counts bytes returned by Fetchers.
	FetchedBytes int64
	// DiscardedBlocks counts blocks of the disk tier that failed verification and were dropped.
	DiscardedBlocks int64
	// SkippedBlocks counts fetched blocks the disk tier did not store
	// because its writer was behind.
	SkippedBlocks int64
	// MemoryBytes is the size of the blocks in the memory tier.
	MemoryBytes int64
	// DiskBytes is the size of the blocks in the disk tier, with their
	// index entries.
	DiskBytes int64
	// DiskBlocks is the number of blocks in the disk tier.
	DiskBlocks int64
}

// counters are the running totals behind Stats.
type counters struct {
	memHits, memMisses   atomic.Int64
	diskHits, diskMisses atomic.Int64
	fetches, fetched     atomic.Int64
}
