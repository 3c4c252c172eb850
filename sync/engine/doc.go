// Package engine keeps a local folder and a bucket prefix in step.
//
// Every pass is a three-way compare, path by path, of the local file, the
// remote object and the last-synced record (package state):
//
//   - a side that differs from the record changed; when only one side
//     changed, its change is carried to the other side;
//   - when both changed to the same content, the record is renewed;
//     when to different content, both are kept: the older one is saved
//     beside the newer as "name (conflict YYYY-MM-DD HHMMSS host).ext", on
//     both sides, and stays in the bucket's history;
//   - a modification beats a delete: a file edited on one side and
//     deleted on the other comes back;
//   - a file that vanished under one name and appeared with the same
//     content under another is a rename, done on the other side as a
//     server-side copy (or a local rename), not a transfer.
//
// In backup mode the local folder is the only source: local creates,
// edits and renames are uploaded, local deletes become delete markers,
// and nothing remote ever changes the local folder.
//
// Safety: a pass that would delete more than Options.MaxDelete percent of
// the synced files, or that finds a side empty although files were synced
// before, is refused unless Options.Force; a local directory that cannot
// be read is never taken for deleted; a file modified within
// Options.Settle, or modified while it was uploaded, waits for a later
// pass; remote writes carry S3 conditions (If-None-Match / If-Match) so a
// concurrent remote change turns into a conflict on the next pass, never
// into a lost update. Records are written only after the remote side holds
// what they describe, so a crash at any point is resolved by the next
// pass. Downloads go to a temporary file beside the target that is renamed
// into place. Large uploads are multipart and resume from their stored
// parts after an interruption.
//
// A pass covers either the whole folder or a set of paths (the ones a
// watcher saw change). Local files are walked, records and remote keys
// listed, all three in byte order of their paths, and merged as streams,
// so memory grows with the number of changes, not of files, and a rescan
// of unchanged files only stats them.
package engine
