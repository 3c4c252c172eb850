// Package history reads and restores the version history of a bucket
// prefix: the versions and delete markers of one key or of every key
// under a prefix, the state of a tree as it was at a point in time, and
// restores of that state into a local directory or back onto the bucket.
//
// It works on any objstore.Store and knows nothing of the command line.
// Listings stream page by page, so a prefix with hundreds of thousands
// of versions is read in bounded memory; a restore plan holds one step
// per key of the restored tree.
//
// A restore never rewrites history. Into a local directory it writes
// each file beside its final name (a ".cairn-tmp-" file, which the sync
// ignores), fsyncs it and renames it into place; onto the bucket it
// copies the old version server side, which makes a new latest version,
// and adds delete markers for keys that did not exist at that time.
package history
