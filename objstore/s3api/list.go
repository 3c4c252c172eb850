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

// listedPage is one page of ListObjects with its XML entries.
type listedPage struct {
	objstore.ListResult
	contents []objectItem
	prefixes []commonPrefix
}

// last is the greatest key or common prefix of the page.
func (p *listedPage) last() string {
	last := ""
	for i := range p.Objects {
		last = max(last, p.Objects[i].Key)
	}
	for _, cp := range p.CommonPrefixes {
		last = max(last, cp)
	}
	return last
}

// listPage lists one page for ListObjects v1 or v2. A page of zero keys
// lists nothing but still answers NoSuchBucket for a missing bucket.
func (s *Server) listPage(ctx context.Context, rq *request, e encoder, opts objstore.ListOptions, owner bool) (*listedPage, error) {
	if opts.MaxKeys == 0 {
		_, err := s.store.HeadBucket(ctx, rq.bucket)
		return &listedPage{}, err
	}
	res, err := s.store.ListObjects(ctx, rq.bucket, opts)
	if err != nil {
		return nil, err
	}
	p := &listedPage{ListResult: res, prefixes: e.prefixes(res.CommonPrefixes)}
	for i := range res.Objects {
		it := s.objectItem(e, &res.Objects[i], owner)
		if res.WithMetadata {
			it.UserMetadata = newListedMetadata(&res.Objects[i])
		}
		p.contents = append(p.contents, it)
	}
	return p, nil
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
		WithMetadata: q.Get("metadata") == "true",
	}
	res := listBucketResultV2{
		NS: s3NS, Name: rq.bucket, Prefix: e.enc(opts.Prefix), Delimiter: e.enc(opts.Delimiter),
		MaxKeys: n, EncodingType: e.typ(), ContinuationToken: opts.ContinuationToken, StartAfter: e.enc(opts.StartAfter),
	}
	page, err := s.listPage(ctx, rq, e, opts, q.Get("fetch-owner") == "true")
	if err != nil {
		return err
	}
	res.Contents, res.CommonPrefixes = page.contents, page.prefixes
	res.KeyCount = len(page.contents) + len(page.prefixes)
	res.IsTruncated, res.NextContinuationToken = page.IsTruncated, page.NextContinuationToken
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
	page, err := s.listPage(ctx, rq, e, opts, true)
	if err != nil {
		return err
	}
	res.Contents, res.CommonPrefixes, res.IsTruncated = page.contents, page.prefixes, page.IsTruncated
	if page.IsTruncated && opts.Delimiter != "" {
		res.NextMarker = e.enc(page.last())
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
