// Package mount serves a bucket, or a prefix of one, as a directory tree
// through FUSE (go-fuse v2's fs API) over any objstore.Store, relying on
// plain S3 semantics only.
//
// # Tree
//
// Key "a/b/c.txt" (below Options.Prefix) is file c.txt in directory a/b.
// Directories are the common prefixes of a delimited listing and "dir/"
// marker objects; mkdir writes a marker so empty directories persist. A
// name that is both an object and a prefix shows as the directory. Keys
// that cannot be POSIX names (an empty, "." or ".." segment, as in "a//b"
// or "a/../b", or a segment over 255 bytes) are skipped with one warning.
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
// window grows while reads stay in order. The kernel page cache is kept
// across opens while the ETag does not change.
//
// # Writes
//
// A file is staged in a local file under Options.StagingDir on its first
// modification: a new file starts empty, O_TRUNC or a truncation to zero
// starts empty, and any other first write or truncation copies the whole
// current object into the staged file first. Writes, appends and
// truncations then go to the staged file. Flush (close), fsync and the
// last release upload it: one PutObject below Options.PartSize, a
// parallel multipart upload from there on. When the staged file is an
// edited copy of a stored object, the parts it did not change are copied
// from that object server side (UploadPartCopy) instead of sent again,
// so an edit of, or an append to, a large file sends only the parts
// that changed. A server that cannot copy parts (some S3 implementations
// lack UploadPartCopy) gets those parts sent from the staged file, which
// holds the same bytes. A new file written in order from its start is sent
// while it is written: once it holds two parts, a multipart upload
// starts and each whole part goes up as soon as it is written, so the
// close sends only the tail; a write anywhere else drops that upload and
// the file is stored whole at close. Each staged file is journaled
// (a small record next to it) until it is stored, so a mount that dies
// loses nothing written: the next Mount with the same StagingDir uploads
// it and reports it in FS.Recovered.
//
// chmod, chown and utimens of a clean file rewrite its metadata with a
// server-side copy (metadata directive REPLACE); of a directory, its
// marker. Renaming a file is a server-side copy and a delete; renaming a
// directory moves every key below it.
//
// # Unsupported calls
//
//   - link (hard links): ENOTSUP
//   - mknod (devices, FIFOs, sockets): ENOTSUP
//   - rename with RENAME_EXCHANGE or RENAME_WHITEOUT: EINVAL
//   - setxattr, removexattr: ENOTSUP; getxattr: ENODATA; listxattr: empty
//   - fallocate: ENOTSUP (posix_fallocate then writes zeros itself)
//   - ioctl: ENOTTY
//   - file locks (flock, fcntl) are not sent to the mount: the kernel
//     keeps them, so they hold between processes of this machine only
//   - any write on a read-only mount: EROFS
package mount
