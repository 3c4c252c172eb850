package transfer

import (
	"context"
	"fmt"
	"iter"

	"github.com/cairnfs/cairn/objstore"
)

// Copy copies the version co.Source names to dstBucket/dstKey server
// side, with co's directives and conditions. Up to opts.CopyThreshold
// bytes it is one CopyObject; above, a multipart upload whose parts are
// copied opts.Concurrency at a time from ranges of the source, pinned to
// its ETag. Progress is told of each part, or of the whole at once.
func Copy(ctx context.Context, store objstore.Store, dstBucket, dstKey string, co objstore.CopyOptions, opts Options) (objstore.ObjectInfo, error) {
	opts = opts.withDefaults()
	src := co.Source
	info, err := store.HeadObject(ctx, src.Bucket, src.Key, objstore.GetOptions{VersionID: src.VersionID, Conditions: src.Conditions})
	if err != nil {
		return info, fmt.Errorf("head %s/%s: %w", src.Bucket, src.Key, err)
	}
	if info.Size <= opts.CopyThreshold {
		out, err := store.CopyObject(ctx, dstBucket, dstKey, co)
		if err != nil {
			return out, fmt.Errorf("copy %s/%s to %s/%s: %w", src.Bucket, src.Key, dstBucket, dstKey, err)
		}
		opts.Progress(out.Size)
		return out, nil
	}
	return copyMultipart(ctx, store, dstBucket, dstKey, co, info, opts)
}

// copyMultipart copies src, described by info, part by part.
func copyMultipart(ctx context.Context, store objstore.Store, dstBucket, dstKey string, co objstore.CopyOptions, info objstore.ObjectInfo, opts Options) (objstore.ObjectInfo, error) {
	po, err := copiedMeta(ctx, store, co, info)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	id, err := store.CreateMultipartUpload(ctx, dstBucket, dstKey, po)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("create multipart upload %s/%s: %w", dstBucket, dstKey, err)
	}
	u := upload{dstBucket, dstKey, id}
	src := co.Source
	src.Conditions = objstore.Conditions{IfMatch: info.ETag}
	parts, err := copyParts(ctx, store, u, src, split(info.Size, opts.partSize(info.Size)), opts)
	if err != nil {
		abort(ctx, store, u)
		return objstore.ObjectInfo{}, err
	}
	return complete(ctx, store, u, parts, objstore.CompleteOptions{IfMatch: co.IfMatch, IfNoneMatch: co.IfNoneMatch})
}

// copiedMeta returns what the copy of the source described by info
// carries under co's directives.
func copiedMeta(ctx context.Context, store objstore.Store, co objstore.CopyOptions, info objstore.ObjectInfo) (objstore.PutOptions, error) {
	meta := info.ObjectMeta
	if co.MetadataDirective == objstore.MetadataReplace {
		meta = co.Meta
	}
	if co.TaggingDirective == objstore.MetadataReplace {
		meta.Tags = co.Meta.Tags
	} else {
		tags, _, err := store.GetObjectTagging(ctx, info.Bucket, info.Key, info.VersionID)
		if err != nil {
			return objstore.PutOptions{}, fmt.Errorf("get tags of %s/%s: %w", info.Bucket, info.Key, err)
		}
		meta.Tags = tags
	}
	if co.Meta.StorageClass != "" {
		meta.StorageClass = co.Meta.StorageClass
	}
	return objstore.PutOptions{ObjectMeta: meta, Size: -1}, nil
}

// copyParts copies the ranges of src as the parts of u.
func copyParts(ctx context.Context, store objstore.Store, u upload, src objstore.CopySource, ranges []objstore.Range, opts Options) ([]objstore.CompletedPart, error) {
	parts := make([]objstore.CompletedPart, len(ranges))
	err := parallel(ctx, opts.Concurrency, enumerate(ranges), func(ctx context.Context, i int) error {
		r := ranges[i]
		p, err := store.UploadPartCopy(ctx, u.bucket, u.key, u.id, i+1, objstore.PartCopyOptions{Source: src, Range: &r})
		if err != nil {
			return fmt.Errorf("copy part %d of %s/%s to %s/%s: %w", i+1, src.Bucket, src.Key, u.bucket, u.key, err)
		}
		parts[i] = objstore.CompletedPart{PartNumber: i + 1, ETag: p.ETag}
		opts.Progress(r.Last - r.First + 1)
		return nil
	})
	return parts, err
}

// enumerate yields the indexes of s.
func enumerate[T any](s []T) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range s {
			if !yield(i, nil) {
				return
			}
		}
	}
}
