package test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/cairnfs/cairn/objstore"
)

// readObject reads a version (or a range of it) through GetObject and
// returns the hash and length of the bytes it served.
func readObject(ctx context.Context, st objstore.Store, key string, opts objstore.GetOptions) (string, int64, objstore.ObjectInfo, error) {
	obj, err := st.GetObject(ctx, crashBucket, key, opts)
	if err != nil {
		return "", 0, objstore.ObjectInfo{}, fmt.Errorf("get %s version %q: %w", key, opts.VersionID, err)
	}
	defer obj.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, obj.Body)
	if err != nil {
		return "", n, obj.Info, fmt.Errorf("read %s version %q after %d bytes: %w", key, opts.VersionID, n, err)
	}
	if n != obj.Length {
		return "", n, obj.Info, fmt.Errorf("read %s version %q: body held %d bytes, Length says %d", key, opts.VersionID, n, obj.Length)
	}
	return hex.EncodeToString(h.Sum(nil)), n, obj.Info, nil
}

// listAllVersions lists every version and delete marker of the bucket.
func listAllVersions(ctx context.Context, st objstore.Store) ([]objstore.ObjectInfo, error) {
	var all []objstore.ObjectInfo
	var opts objstore.ListVersionsOptions
	for {
		page, err := st.ListObjectVersions(ctx, crashBucket, opts)
		if err != nil {
			return nil, fmt.Errorf("list versions after %q/%q: %w", opts.KeyMarker, opts.VersionIDMarker, err)
		}
		all = append(all, page.Versions...)
		if !page.IsTruncated {
			return all, nil
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
}

// listAllObjects lists the current version of every key.
func listAllObjects(ctx context.Context, st objstore.Store) ([]objstore.ObjectInfo, error) {
	var all []objstore.ObjectInfo
	var opts objstore.ListOptions
	for {
		page, err := st.ListObjects(ctx, crashBucket, opts)
		if err != nil {
			return nil, fmt.Errorf("list objects: %w", err)
		}
		all = append(all, page.Objects...)
		if !page.IsTruncated {
			return all, nil
		}
		opts.ContinuationToken = page.NextContinuationToken
	}
}

// listAllUploads lists every in-progress multipart upload of the bucket.
func listAllUploads(ctx context.Context, st objstore.Store) ([]objstore.UploadInfo, error) {
	var all []objstore.UploadInfo
	var opts objstore.ListUploadsOptions
	for {
		page, err := st.ListMultipartUploads(ctx, crashBucket, opts)
		if err != nil {
			return nil, fmt.Errorf("list uploads: %w", err)
		}
		all = append(all, page.Uploads...)
		if !page.IsTruncated {
			return all, nil
		}
		opts.KeyMarker, opts.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// listAllParts lists every part of one upload.
func listAllParts(ctx context.Context, st objstore.Store, key, id string) ([]objstore.PartInfo, error) {
	var all []objstore.PartInfo
	var opts objstore.ListPartsOptions
	for {
		page, err := st.ListParts(ctx, crashBucket, key, id, opts)
		if err != nil {
			return nil, fmt.Errorf("list parts of upload %s of %s: %w", id, key, err)
		}
		all = append(all, page.Parts...)
		if !page.IsTruncated {
			return all, nil
		}
		opts.PartNumberMarker = page.NextPartNumberMarker
	}
}
