// Package mount serves a bucket, or a prefix of one, as a directory tree
// through FUSE (go-fuse v2's fs API) over any objstore.Store, relying on
// plain S3 semantics only.
//
// # Tree
//
// Key "a/b/c.txt" (below Options.Prefix) is file c.txt in directory a/b.
// Directories are the common prefixes of a delimited listing and "dir/"
// marker objects; mkdir writes a marker (see Write-back) so empty
// directories persist. A name that is both an object and a prefix shows
// as the directory. Keys that cannot be POSIX names (an empty, "." or
// ".." segment, as in "a//b" or "a/../b", or a segment over 255 bytes)
// are skipped with one warning.
//
// # Attributes
//
// Attributes follow s3fs's user metadata: x-amz-meta-mode (decimal
// st_mode with the file type bits), x-amz-meta-uid, x-amz-meta-gid
// (decimal) and x-amz-meta-mtime (decimal seconds; a fraction is read
// too). Objects without them get Options.UID, GID, FileMode or DirMode and
// their LastModified. A symbolic link is an object whose mode has S_IFLNK
// and whose body is the target, as s3fs stores it.
//
// # Reads
//
// Clean files are read with range GETs pinned to the ETag seen at open,
// through the block cache when one is set (blocks keyed by bucket, key,
// ETag and index); each open file then has a sequential prefetcher whose
// window grows while reads stay in order. A read within one cached block
// is answered with the block itself, held until go-fuse has sent it. The
// kernel page cache is kept across opens while the ETag does not change,
// and the kernel's read-ahead window is raised to 1 MiB where the mount
// may (as root), so that a sequential reader's requests arrive 1 MiB at a
// time instead of 128 KiB. A read-only open of a file whose whole version
// the cache's disk tier holds is handed to the kernel, which then reads the
// cache file itself (FUSE passthrough; see passthrough.go for what that
// means for the other opens of the file meanwhile).
//
// # Writes
//
// A file is staged in a local file under Options.StagingDir on its first
// modification: a new file starts empty, O_TRUNC or a truncation to zero
// starts empty, and any other first write or truncation copies the whole
// current object into the staged file first (O_TRUNC never downloads).
// Writes, appends and truncations then go to the staged file, which is
// stored as one PutObject below Options.PartSize, a parallel multipart
// upload from there on. When the staged file is an
// edited copy of a stored object, the parts it did not change are copied
// from that object server side (UploadPartCopy) instead of sent again,
// so an edit of, or an append to, a large file sends only the parts
// that changed. A server that cannot copy parts (some S3 implementations
// lack UploadPartCopy) gets those parts sent from the staged file, which
// holds the same bytes. A new file written in order from its start is sent
// while it is written: once it holds two parts, a multipart upload
// starts and each whole part goes up as soon as it is written, so the
// upload at close sends only the tail; a write anywhere else drops that
// upload and the file is stored whole. Such a file's part being filled
// is held in memory as well (up to 80 MiB per mount; a file that finds
// too little free sends its parts from the staged file) and sent from there,
// its bytes written to the staged file with O_DIRECT where the file
// system allows: they go through no page cache on their way in or out.
//
// # Write-back
//
// Each staged file is journaled (a small record next to it) from its
// first change until it is stored. close(2) returns once the content is
// staged and journaled; the upload runs in the background, at most
// Options.WriteBackConcurrency at once (Options.SyncClose makes close
// wait for it instead). Until it is stored, the file is read, listed
// and stat'ed from its staged copy. What each call guarantees:
//
//   - close: the content is on the local disk and journaled: a mount
//     that dies (kill -9, a crash) loses nothing, the next Mount with the
//     same StagingDir uploads it and reports it in FS.Recovered.
//   - fsync of a file: returns once that file is stored (waiting for an
//     upload of it under way); fsync of a directory, once every file
//     below it is; FS.Sync, once every file is.
//   - unmount (FS.Unmount, SIGTERM to cairn mount, cairn unmount) stores
//     every file before the process ends.
//   - a failed background upload is logged and tried again by the next
//     close, fsync or unmount; the next close or fsync of the file
//     reports EIO. The staged file stays until it is stored.
//   - unlink of a file whose upload is under way waits for it and
//     deletes the object; of one still waiting for its upload, drops the
//     upload. A rename stores the file first, then moves it.
//
// A directory's marker is written back the same way: mkdir, and chmod,
// chown and utimens of a directory, stage and journal it and return; the
// changes made before its upload starts go up in one PutObject (see
// dirback.go). fsync of the directory, FS.Sync, unmount and a recovery
// store it like a file. chmod, chown and utimens of a clean file rewrite
// its metadata with a server-side copy (metadata directive REPLACE).
// Renaming a file is a server-side copy and a delete; renaming a
// directory moves every key below it.
//
// # Unsupported calls
//
//   - link (hard links): ENOTSUP
//   - mknod (devices, FIFOs, sockets): ENOTSUP
//   - rename with RENAME_EXCHANGE or RENAME_WHITEOUT: EINVAL
//   - setxattr, removexattr: ENOTSUP; listxattr: empty; getxattr: ENOSYS,
//     which the kernel then answers itself with EOPNOTSUPP
//   - fallocate: ENOTSUP (posix_fallocate then writes zeros itself)
//   - ioctl: ENOTTY
//   - file locks (flock, fcntl) are not sent to the mount: the kernel
//     keeps them, so they hold between processes of this machine only
//   - any write on a read-only mount: EROFS
package mount
