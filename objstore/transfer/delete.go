package transfer

import (
	"context"
	"fmt"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// DeletePrefix deletes the current version of every object whose key
// starts with prefix (on a versioned bucket, it adds delete markers),
// opts.Concurrency at a time, and tells deleted, when set, of each key.
// Calls of deleted never overlap.
func DeletePrefix(ctx context.Context, store objstore.Store, bucket, prefix string, opts Options, deleted func(key string)) error {
	opts = opts.withDefaults()
	var mu sync.Mutex
	for {
		page, err := store.ListObjects(ctx, bucket, objstore.ListOptions{Prefix: prefix})
		if err != nil {
			return fmt.Errorf("list %s/%s: %w", bucket, prefix, err)
		}
		if len(page.Objects) == 0 {
			return nil
		}
		err = parallel(ctx, opts.Concurrency, all(page.Objects), func(ctx context.Context, o objstore.ObjectInfo) error {
			if _, err := store.DeleteObject(ctx, bucket, o.Key, objstore.DeleteOptions{}); err != nil {
				return fmt.Errorf("delete %s/%s: %w", bucket, o.Key, err)
			}
			if deleted != nil {
				mu.Lock()
				defer mu.Unlock()
				deleted(o.Key)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// EmptyBucket aborts every multipart upload in bucket and deletes every
// version and delete marker, opts.Concurrency at a time, so that
// DeleteBucket may follow.
func EmptyBucket(ctx context.Context, store objstore.Store, bucket string, opts Options) error {
	opts = opts.withDefaults()
	if err := abortUploads(ctx, store, bucket, opts); err != nil {
		return err
	}
	for {
		page, err := store.ListObjectVersions(ctx, bucket, objstore.ListVersionsOptions{})
		if err != nil {
			return fmt.Errorf("list versions %s: %w", bucket, err)
		}
		if len(page.Versions) == 0 {
			return nil
		}
		err = parallel(ctx, opts.Concurrency, all(page.Versions), func(ctx context.Context, v objstore.ObjectInfo) error {
			if _, err := store.DeleteObject(ctx, bucket, v.Key, objstore.DeleteOptions{VersionID: v.VersionID}); err != nil {
				return fmt.Errorf("delete %s/%s version %s: %w", bucket, v.Key, v.VersionID, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// abortUploads aborts every in-progress multipart upload of bucket.
func abortUploads(ctx context.Context, store objstore.Store, bucket string, opts Options) error {
	for {
		page, err := store.ListMultipartUploads(ctx, bucket, objstore.ListUploadsOptions{})
		if err != nil {
			return fmt.Errorf("list multipart uploads %s: %w", bucket, err)
		}
		if len(page.Uploads) == 0 {
			return nil
		}
		err = parallel(ctx, opts.Concurrency, all(page.Uploads), func(ctx context.Context, up objstore.UploadInfo) error {
			if err := store.AbortMultipartUpload(ctx, bucket, up.Key, up.UploadID); err != nil {
				return fmt.Errorf("abort upload %s of %s/%s: %w", up.UploadID, bucket, up.Key, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}
