// Package cache is a byte-range block cache for immutable object versions.
//
// An object version is cut into blocks of a fixed size. Each block is named
// by the bucket, the key, the version (an ETag or a version id) and the
// block's index, so a block of one version is never served for another: a
// changed object has a new version and therefore new block names.
//
// Blocks live in up to two tiers:
//
//   - a memory tier (ristretto) bounded by bytes; half of its budget, at
//     most twice the largest readahead window, holds the blocks fetched
//     last until newer ones push them out, so that a block fetched ahead of
//     its reader is there when the reader comes even if ristretto's
//     admission policy turned it away (as it does in a long sequential
//     read) or evicted it;
//   - a disk tier under a directory, bounded by bytes, evicted least recently
//     used first. Each object version has a data file, sparse, of the
//     object's size, that holds the cached blocks at their own offsets (an
//     evicted block becomes a hole), and an index file that names the
//     version and records each block's length and CRC-32C. A block is
//     written before its index entry and verified whenever it is read, so
//     a block torn by a crash, or damaged since, is a miss (and dropped),
//     never wrong bytes. The directory is scanned at Open, so the tier is
//     reused after a restart. A version whose every block is held (and
//     verified since Open) is available as a plain file (LocalFile), pinned
//     while in use so that no byte of it changes.
//
// A disk hit is promoted to the memory tier. Missing blocks are fetched with
// a caller-supplied Fetcher: adjacent missing blocks become one ranged fetch
// whose blocks reach their readers one by one as they arrive, and concurrent
// misses of one block share a single fetch. A fetched block goes to its
// readers first and to the disk tier after, through a bounded queue that a
// writer of its own drains (a block queued is served from the queue). When
// the queue is full a prefetch waits for room, while a reader's own fetch
// puts the block aside rather than wait: the writer stores it from memory
// once the queue is empty, so a file read whole ends up whole on disk.
//
// Readahead watches the reads of one open file and, while they are
// sequential, prefetches ahead with a window that doubles on each
// sequential read up to a maximum.
//
// The package knows nothing of FUSE or of any storage API: it only calls
// the Fetcher it is given.
package cache
