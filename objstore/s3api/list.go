package s3api

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/cairnfs/cairn/objstore"
)

// maxKeys reads a page size parameter: absent means 1000, larger values
// are capped at 1000, anything else is InvalidArgument.
func maxKeys(rq *request, name string) (int, error) {
	v := rq.query.Get(name)
	if v == "" {
		return objstore.MaxListKeys, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: %w", name, v, objstore.ErrInvalidArgument)
	}
	return min(n, objstore.MaxListKeys), nil
}

// encoder applies encoding-type=url to the names of a listing.
type encoder struct{ url bool }

func newEncoder(rq *request) (encoder, error) {
	switch t := rq.query.Get("encoding-type"); t {
	case "":
		return encoder{}, nil
	case "url":
		return encoder{url: true}, nil
	default:
		return encoder{}, fmt.Errorf("encoding-type %q: %w", t, objstore.ErrInvalidArgument)
	}
}

func (e encoder) enc(s string) string {
	if e.url {
		return url.QueryEscape(s)
	}
	return s
}

func (e encoder) typ() string {
	if e.url {
		return "url"
	}
	return ""
}

func (e encoder) prefixes(ps []string) []commonPrefix {
	out := make([]commonPrefix, len(ps))
	for i, p := range ps {
		out[i] = commonPrefix{Prefix: e.enc(p)}
	}
	return out
}

func (s *Server) objectItem(e encoder, o *objstore.ObjectInfo, withOwner bool) objectItem {
	it := objectItem{
		Key: e.enc(o.Key), LastModified: timeISO(o.LastModified), ETag: quoteETag(o.ETag),
		Size: o.Size, StorageClass: string(o.StorageClass),
	}
	if it.StorageClass == "" {
		it.StorageClass = string(objstore.DefaultStorageClass)
	}
	if o.Checksum != nil {
		it.ChecksumAlgorithm = string(o.Checksum.Algorithm)
	}
	if withOwner {
		ow := s.owner
		it.Owner = &ow
	}
	return it
}

func (s *Server) listObjectsV2(ctx context.Context, rq *request) error {
	q := rq.query
	e, err := newEncoder(rq)
	if err != nil {
		return err
	}
	n, err := maxKeys(rq, "max-keys")
	if err != nil {
		return err
	}
	opts := objstore.ListOptions{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), StartAfter: q.Get("start-after"),
		ContinuationToken: q.Get("continuation-token"), MaxKeys: n,
	}
	res := listBucketResultV2{
		NS: s3NS, Name: rq.bucket, Prefix: e.enc(opts.Prefix), Delimiter: e.enc(opts.Delimiter),
		MaxKeys: n, EncodingType: e.typ(), ContinuationToken: opts.ContinuationToken, StartAfter: e.enc(opts.StartAfter),
	}
	if n > 0 {
		page, err := s.store.ListObjects(ctx, rq.bucket, opts)
		if err != nil {
			return err
		}
		owner := q.Get("fetch-owner") == "true"
		for i := range page.Objects {
			res.Contents = append(res.Contents, s.objectItem(e, &page.Objects[i], owner))
		}
		res.CommonPrefixes = e.prefixes(page.CommonPrefixes)
		res.KeyCount = len(page.Objects) + len(page.CommonPrefixes)
		res.IsTruncated, res.NextContinuationToken = page.IsTruncated, page.NextContinuationToken
	} else if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	return writeXML(rq, res)
}

func (s *Server) listObjectsV1(ctx context.Context, rq *request) error {
	q := rq.query
	e, err := newEncoder(rq)
	if err != nil {
		return err
	}
	n, err := maxKeys(rq, "max-keys")
	if err != nil {
		return err
	}
	opts := objstore.ListOptions{Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), StartAfter: q.Get("marker"), MaxKeys: n}
	res := listBucketResultV1{
		NS: s3NS, Name: rq.bucket, Prefix: e.enc(opts.Prefix), Marker: e.enc(opts.StartAfter),
		Delimiter: e.enc(opts.Delimiter), MaxKeys: n, EncodingType: e.typ(),
	}
	if n > 0 {
		page, err := s.store.ListObjects(ctx, rq.bucket, opts)
		if err != nil {
			return err
		}
		last := ""
		for i := range page.Objects {
			res.Contents = append(res.Contents, s.objectItem(e, &page.Objects[i], true))
			last = max(last, page.Objects[i].Key)
		}
		for _, p := range page.CommonPrefixes {
			last = max(last, p)
		}
		res.CommonPrefixes = e.prefixes(page.CommonPrefixes)
		res.IsTruncated = page.IsTruncated
		if page.IsTruncated && opts.Delimiter != "" {
			res.NextMarker = e.enc(last)
		}
	} else if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	return writeXML(rq, res)
}

func (s *Server) listObjectVersions(ctx context.Context, rq *request) error {
	q := rq.query
	e, err := newEncoder(rq)
	if err != nil {
		return err
	}
	n, err := maxKeys(rq, "max-keys")
	if err != nil {
		return err
	}
	opts := objstore.ListVersionsOptions{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), KeyMarker: q.Get("key-marker"),
		VersionIDMarker: q.Get("version-id-marker"), MaxKeys: n,
	}
	if opts.VersionIDMarker != "" && opts.KeyMarker == "" {
		return fmt.Errorf("version-id-marker without key-marker: %w", objstore.ErrInvalidArgument)
	}
	res := listVersionsResult{
		NS: s3NS, Name: rq.bucket, Prefix: e.enc(opts.Prefix), KeyMarker: e.enc(opts.KeyMarker),
		VersionIDMarker: opts.VersionIDMarker, Delimiter: e.enc(opts.Delimiter), MaxKeys: n, EncodingType: e.typ(),
	}
	page, err := s.store.ListObjectVersions(ctx, rq.bucket, opts)
	if err != nil {
		return err
	}
	for i := range page.Versions {
		res.Entries = append(res.Entries, s.versionEntry(e, &page.Versions[i]))
	}
	res.CommonPrefixes = e.prefixes(page.CommonPrefixes)
	res.IsTruncated = page.IsTruncated
	res.NextKeyMarker, res.NextVersionIDMarker = e.enc(page.NextKeyMarker), page.NextVersionIDMarker
	return writeXML(rq, res)
}

func (s *Server) versionEntry(e encoder, v *objstore.ObjectInfo) versionEntry {
	ent := versionEntry{
		Key: e.enc(v.Key), VersionID: v.VersionID, IsLatest: v.IsLatest,
		LastModified: timeISO(v.LastModified), Owner: s.owner,
	}
	if v.DeleteMarker {
		ent.XMLName.Local = "DeleteMarker"
		return ent
	}
	ent.XMLName.Local = "Version"
	ent.ETag = quoteETag(v.ETag)
	size := v.Size
	ent.Size = &size
	ent.StorageClass = string(v.StorageClass)
	if ent.StorageClass == "" {
		ent.StorageClass = string(objstore.DefaultStorageClass)
	}
	return ent
}
