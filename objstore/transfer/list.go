package transfer

import (
	"context"
	"fmt"
	"iter"

	"github.com/cairnfs/cairn/objstore"
)

// ObjectPages yields every page of ListObjects from opts on, following
// continuation tokens until the listing is complete or an error, which
// it yields last.
func ObjectPages(ctx context.Context, store objstore.ObjectStore, bucket string, opts objstore.ListOptions) iter.Seq2[objstore.ListResult, error] {
	return func(yield func(objstore.ListResult, error) bool) {
		for {
			page, err := store.ListObjects(ctx, bucket, opts)
			if err != nil {
				yield(page, fmt.Errorf("list %s/%s: %w", bucket, opts.Prefix, err))
				return
			}
			if !yield(page, nil) || !page.IsTruncated {
				return
			}
			if page.NextContinuationToken == "" || page.NextContinuationToken == opts.ContinuationToken {
				yield(objstore.ListResult{}, fmt.Errorf("list %s/%s: truncated page without a new continuation token: %w", bucket, opts.Prefix, objstore.ErrInternal))
				return
			}
			opts.ContinuationToken = page.NextContinuationToken
		}
	}
}

// Objects yields every current object ListObjects finds with opts, in key
// order, across all pages. Common prefixes are left out.
func Objects(ctx context.Context, store objstore.ObjectStore, bucket string, opts objstore.ListOptions) iter.Seq2[objstore.ObjectInfo, error] {
	return func(yield func(objstore.ObjectInfo, error) bool) {
		for page, err := range ObjectPages(ctx, store, bucket, opts) {
			if err != nil {
				yield(objstore.ObjectInfo{}, err)
				return
			}
			for _, o := range page.Objects {
				if !yield(o, nil) {
					return
				}
			}
		}
	}
}

// VersionPages yields every page of ListObjectVersions from opts on,
// following the markers until the listing is complete or an error, which
// it yields last.
func VersionPages(ctx context.Context, store objstore.ObjectStore, bucket string, opts objstore.ListVersionsOptions) iter.Seq2[objstore.ListVersionsResult, error] {
	return func(yield func(objstore.ListVersionsResult, error) bool) {
		for {
			page, err := store.ListObjectVersions(ctx, bucket, opts)
			if err != nil {
				yield(page, fmt.Errorf("list versions %s/%s: %w", bucket, opts.Prefix, err))
				return
			}
			if !yield(page, nil) || !page.IsTruncated {
				return
			}
			if page.NextKeyMarker == opts.KeyMarker && page.NextVersionIDMarker == opts.VersionIDMarker {
				yield(objstore.ListVersionsResult{}, fmt.Errorf("list versions %s/%s: truncated page without new markers: %w", bucket, opts.Prefix, objstore.ErrInternal))
				return
			}
			opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
		}
	}
}
