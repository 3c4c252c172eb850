package mount

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/cairnfs/cairn/objstore"
)

// editBlock is the granularity at which edits of a staged copy are tracked.
const editBlock = 1 << 20

// edits tracks which blocks of a staged file differ from the stored
// version it is a copy of, so that an upload copies the unchanged parts
// server side (UploadPartCopy) instead of sending them again.
type edits struct {
	etag  string // the stored version
	size  int64
	dirty map[int64]struct{} // indexes of blocks written or truncated
}

// newEdits starts tracking a staged copy of the version etag, size bytes.
func newEdits(etag string, size int64) *edits {
	return &edits{etag: etag, size: size, dirty: map[int64]struct{}{}}
}

// mark records that bytes [off, off+n) changed.
func (e *edits) mark(off, n int64) {
	for b := off / editBlock; n > 0 && b <= (off+n-1)/editBlock; b++ {
		e.dirty[b] = struct{}{}
	}
}

// unchanged tells whether bytes [off, end) are still the stored version's.
func (e *edits) unchanged(off, end int64) bool {
	if end > e.size {
		return false
	}
	for b := off / editBlock; b <= (end-1)/editBlock; b++ {
		if _, ok := e.dirty[b]; ok {
			return false
		}
	}
	return true
}

// partSizeFor returns the part size of an object of size bytes: base,
// grown to a whole MiB that keeps it within MaxPartNumber parts.
func partSizeFor(size, base int64) int64 {
	const mib = 1 << 20
	if need := (size + objstore.MaxPartNumber - 1) / objstore.MaxPartNumber; need > base {
		base = (need + mib - 1) / mib * mib
	}
	return min(base, objstore.MaxPartSize)
}

// uploadEdited stores the size bytes of r as key, a multipart upload
// whose parts unchanged since the stored version ed describes are
// copied from it server side. It reports false, having stored nothing,
// when no part can be reused.
func (f *FS) uploadEdited(ctx context.Context, key string, r *os.File, size int64, a attrs, ed *edits) (objstore.ObjectInfo, bool, error) {
	ps := partSizeFor(size, f.opts.PartSize)
	nparts := int((size + ps - 1) / ps)
	reused := 0
	for i := range nparts {
		if ed.unchanged(int64(i)*ps, min(int64(i+1)*ps, size)) {
			reused++
		}
	}
	if size < f.opts.PartSize || reused == 0 {
		return objstore.ObjectInfo{}, false, nil
	}
	po := objstore.PutOptions{Size: -1, ObjectMeta: objstore.ObjectMeta{ContentType: contentType(key), UserMetadata: a.userMetadata()}}
	id, err := f.store.CreateMultipartUpload(ctx, f.opts.Bucket, key, po)
	if err != nil {
		return objstore.ObjectInfo{}, true, fmt.Errorf("create multipart upload %s: %w", key, err)
	}
	parts := make([]objstore.CompletedPart, nparts)
	pu := &partUpload{fsys: f, key: key, id: id, r: r, ed: ed}
	err = f.parallel(ctx, nparts, func(ctx context.Context, i int) error {
		off := int64(i) * ps
		etag, err := pu.put(ctx, i+1, off, min(off+ps, size))
		parts[i] = objstore.CompletedPart{PartNumber: i + 1, ETag: etag}
		return err
	})
	if err == nil {
		var info objstore.ObjectInfo
		info, err = f.store.CompleteMultipartUpload(ctx, f.opts.Bucket, key, id, parts, objstore.CompleteOptions{})
		if err == nil {
			f.invalidate(key)
			return info, true, nil
		}
	}
	if aerr := f.store.AbortMultipartUpload(context.WithoutCancel(ctx), f.opts.Bucket, key, id); aerr != nil {
		f.log.Warn("abort multipart upload", "key", key, "err", aerr)
	}
	return objstore.ObjectInfo{}, !errors.Is(err, objstore.ErrPreconditionFailed), fmt.Errorf("upload %s: %w", key, err)
}

// partUpload sends the parts of one upload of an edited file.
type partUpload struct {
	fsys   *FS
	key    string
	id     string
	r      *os.File
	ed     *edits
	noCopy atomic.Bool // the store failed a part copy: send every part
}

// put stores bytes [off, end) of the staged file as part num: a copy of
// the stored version when they are unchanged, else sent. A store that
// cannot copy parts (one that answers NotImplemented, or fails the copy
// otherwise) gets them sent instead, as plain S3 allows: the staged file
// holds the same bytes. Only a stored version that changed
// (PreconditionFailed) fails the part, so that the file is stored whole.
func (u *partUpload) put(ctx context.Context, num int, off, end int64) (string, error) {
	if u.ed.unchanged(off, end) && !u.noCopy.Load() {
		etag, err := u.copy(ctx, num, off, end)
		if err == nil || errors.Is(err, objstore.ErrPreconditionFailed) || ctx.Err() != nil {
			return etag, err
		}
		if !u.noCopy.Swap(true) {
			u.fsys.log.Info("the store did not copy a part server side: sending the parts instead", "key", u.key, "err", err)
		}
	}
	p, err := u.fsys.store.UploadPart(ctx, u.fsys.opts.Bucket, u.key, u.id, num, io.NewSectionReader(u.r, off, end-off), objstore.PartOptions{Size: end - off})
	if err != nil {
		return "", fmt.Errorf("upload part %d: %w", num, err)
	}
	return p.ETag, nil
}

// copy copies bytes [off, end) of the stored version as part num.
func (u *partUpload) copy(ctx context.Context, num int, off, end int64) (string, error) {
	src := objstore.CopySource{Bucket: u.fsys.opts.Bucket, Key: u.key, Conditions: objstore.Conditions{IfMatch: u.ed.etag}}
	p, err := u.fsys.store.UploadPartCopy(ctx, u.fsys.opts.Bucket, u.key, u.id, num, objstore.PartCopyOptions{Source: src, Range: &objstore.Range{First: off, Last: end - 1}})
	if err != nil {
		return "", fmt.Errorf("copy part %d: %w", num, err)
	}
	return p.ETag, nil
}
