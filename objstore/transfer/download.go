package transfer

import (
	"context"
	"fmt"
	"io"

	"github.com/cairnfs/cairn/objstore"
)

// Download writes a version of bucket/key (opts.VersionID, else the
// current one) to w with one GET, in order. Use it for writers that
// cannot seek, such as pipes; DownloadAt is faster for files.
func Download(ctx context.Context, store objstore.Store, bucket, key string, w io.Writer, opts Options) (objstore.ObjectInfo, error) {
	return download(ctx, store, bucket, key, w, objstore.GetOptions{VersionID: opts.VersionID}, opts.withDefaults())
}

func download(ctx context.Context, store objstore.Store, bucket, key string, w io.Writer, g objstore.GetOptions, opts Options) (objstore.ObjectInfo, error) {
	obj, err := store.GetObject(ctx, bucket, key, g)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	defer obj.Body.Close()
	n, err := io.Copy(w, &progressReader{obj.Body, opts.Progress})
	if err != nil {
		return obj.Info, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	if n != obj.Length {
		return obj.Info, fmt.Errorf("get %s/%s: got %d of %d bytes: %w", bucket, key, n, obj.Length, objstore.ErrIncompleteBody)
	}
	return obj.Info, nil
}

// DownloadAt writes a version of bucket/key (opts.VersionID, else the
// current one) to w at offsets 0 to its size. From opts.Threshold bytes
// on it fetches ranges of opts.PartSize, opts.Concurrency at a time, each
// pinned to the ETag first seen: an object overwritten meanwhile fails
// the download with objstore.ErrPreconditionFailed rather than mixing
// two versions.
func DownloadAt(ctx context.Context, store objstore.Store, bucket, key string, w io.WriterAt, opts Options) (objstore.ObjectInfo, error) {
	opts = opts.withDefaults()
	g := objstore.GetOptions{VersionID: opts.VersionID}
	info, err := store.HeadObject(ctx, bucket, key, g)
	if err != nil {
		return info, fmt.Errorf("head %s/%s: %w", bucket, key, err)
	}
	g.IfMatch = info.ETag
	if info.Size < opts.Threshold {
		return download(ctx, store, bucket, key, io.NewOffsetWriter(w, 0), g, opts)
	}
	ranges := split(info.Size, opts.partSize(info.Size))
	err = parallel(ctx, opts.Concurrency, all(ranges), func(ctx context.Context, r objstore.Range) error {
		rg := g
		rg.Range = &r
		_, err := download(ctx, store, bucket, key, io.NewOffsetWriter(w, r.First), rg, opts)
		return err
	})
	return info, err
}

// split cuts size bytes into ranges of partSize, the last one shorter.
func split(size, partSize int64) []objstore.Range {
	var rs []objstore.Range
	for off := int64(0); off < size; off += partSize {
		rs = append(rs, objstore.Range{First: off, Last: min(off+partSize, size) - 1})
	}
	return rs
}
