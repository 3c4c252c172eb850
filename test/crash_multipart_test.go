package test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// multipart uploads 2-3 full parts and a small last one, then completes
// the upload, or uploads 1-2 full parts and aborts it.
func (c *crashChild) multipart(ctx context.Context, key string, complete bool) error {
	if err := c.say("%s %s", verbMBegin, key); err != nil {
		return err
	}
	id, err := c.st.CreateMultipartUpload(ctx, crashBucket, key, objstore.PutOptions{Size: -1})
	if err != nil {
		return fmt.Errorf("create upload for %s: %w", key, err)
	}
	if err := c.say("%s %s %s", verbMPU, key, id); err != nil {
		return err
	}
	if !complete {
		return c.abandon(ctx, key, id)
	}
	sizes := make([]int64, 2+c.rng.IntN(2), 4)
	for i := range sizes {
		sizes[i] = crashPartSize
	}
	sizes = append(sizes, 1+c.rng.Int64N(1<<20))
	whole := sha256.New()
	parts := make([]objstore.CompletedPart, 0, len(sizes))
	var total int64
	for i, size := range sizes {
		b := c.newBlob(size)
		b.hashInto(whole)
		etag, err := c.uploadPart(ctx, key, id, i+1, b)
		if err != nil {
			return err
		}
		parts = append(parts, objstore.CompletedPart{PartNumber: i + 1, ETag: etag})
		total += size
	}
	return c.complete(ctx, key, id, parts, hex.EncodeToString(whole.Sum(nil)), total)
}

// abandon uploads 1-2 parts and aborts the upload.
func (c *crashChild) abandon(ctx context.Context, key, id string) error {
	count := 1 + c.rng.IntN(2)
	for n := 1; n <= count; n++ {
		if _, err := c.uploadPart(ctx, key, id, n, c.newBlob(crashPartSize)); err != nil {
			return err
		}
	}
	if err := c.say("%s %s", verbABegin, id); err != nil {
		return err
	}
	if err := c.st.AbortMultipartUpload(ctx, crashBucket, key, id); err != nil {
		return fmt.Errorf("abort upload %s of %s: %w", id, key, err)
	}
	return c.say("%s %s", verbAbort, id)
}

// uploadPart uploads one announced part and returns its ETag.
func (c *crashChild) uploadPart(ctx context.Context, key, id string, n int, b blob) (string, error) {
	if err := c.say("%s %s %d %s %d", verbPart, id, n, b.sha(), b.size()); err != nil {
		return "", err
	}
	p, err := c.st.UploadPart(ctx, crashBucket, key, id, n, b.reader(), objstore.PartOptions{Size: b.size()})
	if err != nil {
		return "", fmt.Errorf("upload part %d of %s (%s): %w", n, key, id, err)
	}
	return p.ETag, c.say("%s %s %d %s", verbPartAck, id, n, p.ETag)
}

// complete assembles the parts; sum and size are the whole object's.
func (c *crashChild) complete(ctx context.Context, key, id string, parts []objstore.CompletedPart, sum string, size int64) error {
	if err := c.say("%s %s %s %d %s", verbBegin, key, sum, size, id); err != nil {
		return err
	}
	info, err := c.st.CompleteMultipartUpload(ctx, crashBucket, key, id, parts, objstore.CompleteOptions{})
	if err != nil {
		return fmt.Errorf("complete upload %s of %s: %w", id, key, err)
	}
	if info.Size != size {
		return fmt.Errorf("complete upload %s of %s: size %d, want %d", id, key, info.Size, size)
	}
	return c.say("%s %s %s %s %d", verbAck, key, info.VersionID, sum, size)
}
