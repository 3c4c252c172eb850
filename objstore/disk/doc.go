// Package disk is cairn's embedded object store: an objstore.Store that
// keeps its metadata in a pebble key-value store and object data in files
// on local disk.
//
// A data directory looks like this:
//
//	LOCK          held (flock) by the one process that has the store open
//	meta/         pebble: buckets, versions, uploads, parts, small objects
//	data/00..ff/  one file per object version or multipart part, named by
//	              a random 128-bit id; the first two hex digits pick the folder
//	              (a server-side copy hard-links the source's files under new
//	              names, so every name still belongs to exactly one record)
//	tmp/          scratch space, emptied at every Open
//
// Every mutation is a single pebble batch committed with a synced WAL write.
// Object data is written to a fresh, unreferenced file which is fsynced
// (with its folder) before the batch that references it commits, so a crash
// at any moment leaves either the old or the new version visible and never
// a torn one. A data file that a reader has open outlives its version's
// deletion until the reader closes it. Files nothing references any more
// (left by a crash) are removed by a sweep that Open starts in the
// background.
//
// Object lock is enforced here rather than in the S3 server, so that
// mounts and syncs of a data directory obey it as S3 clients do: a bucket
// with object lock stays versioned, its new versions get its default
// retention, and a version under retention or legal hold is never removed
// (see objectlock.go and package lock).
package disk
