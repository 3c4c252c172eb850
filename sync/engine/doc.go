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
// Empty directories are carried too, as the zero-byte marker objects
// "dir/" that the mount and s3fs write for a directory, with its mode,
// owner and mtime in the same metadata as a file's. A directory is an
// entry of its own ("dir/", sorted just before what it holds), decided
// after what it holds, by the same three-way rule:
//
//   - a local directory holding nothing the sync carries (ignored files
//     do not count), with nothing below it remotely after the pass, gets
//     a marker; a marker without a local directory becomes one. A
//     directory that holds files needs no marker and gets none; a marker
//     it has is recorded, never taken for a file;
//   - a directory removed on one side, and recorded, is removed on the
//     other: its marker is deleted (a delete marker on a versioned
//     bucket), or the local directory removed while it is still empty;
//   - a directory emptied of its files on one side stays on the other
//     only if the first side kept it: then it gets a marker. Removing the
//     directories a remote delete leaves empty stops at one whose marker
//     stays;
//   - a mode change of a directory that has a marker is carried like a
//     file's: the marker is written again, or the local mode set.
//
// A pass over changed paths takes a path that is gone locally for the
// nearest directory still there (other than the folder itself), so that a
// directory emptied by a delete is decided in that pass.
//
// In backup mode the local folder is the only source: local creates,
// edits and renames are uploaded, local deletes become delete markers,
// and nothing remote ever changes the local folder; empty directories go
// up as markers and their removal deletes the marker.
//
// Safety: a pass that would delete more than Options.MaxDelete percent of
// the synced files and directories, or that finds a side empty although
// files were synced before, is refused unless Options.Force; a local
// directory that cannot be read is never taken for deleted; a file
// modified within Options.Settle (or an empty directory made within it),
// or modified while it was uploaded, waits for a later pass; remote
// writes carry S3 conditions (If-None-Match / If-Match) so a concurrent
// remote change turns into a conflict on the next pass, never into a lost
// update. Records are written only after the remote side holds
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
