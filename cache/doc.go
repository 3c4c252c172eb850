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
//     used first. Each block file carries a header with its full name, its
//     length and a CRC-32C of its bytes; a block that fails any check is a
//     miss and is deleted. Block files are written under a temporary name and
//     renamed into place, and the directory is scanned at Open, so the tier is
//     reused after a restart.
//
// A disk hit is promoted to the memory tier. Missing blocks are fetched with
// a caller-supplied Fetcher: adjacent missing blocks become one ranged fetch
// whose blocks reach their readers one by one as they arrive, and concurrent
// misses of one block share a single fetch. A fetched block goes to its
// readers first and to the disk tier after, through a bounded queue that a
// writer of its own drains (a block queued is served from the queue; when
// the disk falls behind, blocks are skipped rather than slowing reads).
//
// Readahead watches the reads of one open file and, while they are
// sequential, prefetches ahead with a window that doubles on each
// sequential read up to a maximum.
//
// The package knows nothing of FUSE or of any storage API: it only calls
// the Fetcher it is given.
package cache
