package s3api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// responseOverrides are the query parameters of GetObject that replace a
// response header (response-content-type=… and so on).
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// getOptions reads the version, range, part and preconditions of a read.
func getOptions(rq *request) (objstore.GetOptions, error) {
	opts := objstore.GetOptions{VersionID: rq.query.Get("versionId")}
	var err error
	if opts.SSECustomerKey, err = customerKey(rq, ""); err != nil {
		return opts, err
	}
	if opts.Conditions, err = conditionsFromHeaders(rq.r.Header, ""); err != nil {
		return opts, err
	}
	if v := rq.query.Get("partNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > objstore.MaxPartNumber {
			return opts, fmt.Errorf("partNumber %q: %w", v, objstore.ErrInvalidArgument)
		}
		opts.PartNumber = n
	}
	if v := rq.r.Header.Get("Range"); v != "" {
		r, err := objstore.ParseRange(v)
		if err != nil {
			// S3 ignores a Range header it cannot parse and sends everything.
			return opts, nil
		}
		opts.Range = r
	}
	return opts, nil
}

func (s *Server) getObject(ctx context.Context, rq *request) error {
	opts, err := getOptions(rq)
	if err != nil {
		return err
	}
	overrides, err := s.responseOverrides(rq)
	if err != nil {
		return err
	}
	obj, err := s.store.GetObject(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	defer obj.Body.Close()
	h := rq.w.Header()
	setObjectHeaders(h, &obj.Info, s.keyARNs())
	s.setExpiration(ctx, rq, obj.Info)
	setPartsCount(h, opts, &obj.Info)
	if !obj.Ranged && strings.EqualFold(rq.r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		setChecksumHeader(h, obj.Info.Checksum)
	}
	for k, v := range overrides {
		h.Set(k, v)
	}
	h.Set("Content-Length", strconv.FormatInt(obj.Length, 10))
	status := http.StatusOK
	if obj.Ranged {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", obj.Offset, obj.Offset+obj.Length-1, obj.Info.Size))
		status = http.StatusPartialContent
	}
	rq.w.WriteHeader(status)
	if _, err := io.Copy(rq.w, obj.Body); err != nil {
		// The status line is sent: all that is left is to cut the body short.
		s.log.Warn("s3 GET body interrupted", "bucket", rq.bucket, "key", rq.key, "request_id", rq.id, "err", err)
	}
	return nil
}

// responseOverrides reads the response-* parameters, which S3 accepts on
// authenticated requests only.
func (s *Server) responseOverrides(rq *request) (map[string]string, error) {
	out := map[string]string{}
	for p, header := range responseOverrides {
		if v := rq.query.Get(p); v != "" {
			out[header] = v
		}
	}
	if len(out) > 0 && rq.auth.anonymous {
		return nil, fmt.Errorf("response header overrides on an anonymous request: %w", objstore.ErrInvalidRequest)
	}
	return out, nil
}

func (s *Server) headObject(ctx context.Context, rq *request) error {
	opts, err := getOptions(rq)
	if err != nil {
		return err
	}
	info, err := s.store.HeadObject(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	setObjectHeaders(h, &info, s.keyARNs())
	s.setExpiration(ctx, rq, info)
	setPartsCount(h, opts, &info)
	if strings.EqualFold(rq.r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		setChecksumHeader(h, info.Checksum)
	}
	size := info.Size
	if opts.Range != nil {
		off, n, err := opts.Range.Resolve(info.Size)
		if err != nil {
			return err
		}
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, info.Size))
		size = n
	}
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if opts.Range != nil {
		rq.w.WriteHeader(http.StatusPartialContent)
		return nil
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// putOptions reads what PutObject and CreateMultipartUpload take from headers.
func putOptions(rq *request) (objstore.PutOptions, error) {
	meta, err := metaFromHeaders(rq.r.Header)
	if err != nil {
		return objstore.PutOptions{}, err
	}
	if err := checkCannedACL(rq); err != nil {
		return objstore.PutOptions{}, err
	}
	enc, err := encryptionFromHeaders(rq)
	if err != nil {
		return objstore.PutOptions{}, err
	}
	cs, err := checksumFromHeaders(rq.r.Header)
	if err != nil {
		return objstore.PutOptions{}, err
	}
	lk, err := lockFromHeaders(rq.r.Header)
	if err != nil {
		return objstore.PutOptions{}, err
	}
	return objstore.PutOptions{
		Lock:        lk,
		ObjectMeta:  meta,
		Size:        -1,
		ContentMD5:  rq.r.Header.Get("Content-MD5"),
		Checksum:    cs,
		IfMatch:     rq.r.Header.Get("If-Match"),
		IfNoneMatch: rq.r.Header.Get("If-None-Match"),
		Encryption:  enc,
	}, nil
}

func (s *Server) putObject(ctx context.Context, rq *request) error {
	opts, err := putOptions(rq)
	if err != nil {
		return err
	}
	if opts.Size, err = contentLength(rq.r); err != nil {
		return err
	}
	if opts.Size > objstore.MaxPutSize {
		return fmt.Errorf("PUT of %d bytes: %w", opts.Size, objstore.ErrEntityTooLarge)
	}
	if err := requireLockDigest(rq, opts.Lock); err != nil {
		return err
	}
	if rq.auth.trailerChecksum != "" && opts.Checksum == nil {
		opts.Checksum = &objstore.Checksum{Algorithm: rq.auth.trailerChecksum}
	}
	info, err := s.store.PutObject(ctx, rq.bucket, rq.key, rq.body, opts)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	h.Set("ETag", quoteETag(info.ETag))
	setVersionHeader(h, info.VersionID)
	setChecksumHeader(h, info.Checksum)
	setWriteEncryptionHeaders(h, info.Encryption, s.keyARNs())
	s.setPutExpiration(ctx, rq, info)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) deleteObject(ctx context.Context, rq *request) error {
	opts := objstore.DeleteOptions{VersionID: rq.query.Get("versionId"), BypassGovernance: bypassGovernance(rq)}
	if err := s.checkMFADelete(ctx, rq, opts.VersionID != ""); err != nil {
		return err
	}
	res, err := s.store.DeleteObject(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	if res.DeleteMarker {
		h.Set("x-amz-delete-marker", "true")
	}
	setVersionHeader(h, res.VersionID)
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseCopySource reads x-amz-copy-source: [/]bucket/key[?versionId=…],
// URL-encoded.
func parseCopySource(h http.Header) (objstore.CopySource, error) {
	raw := h.Get("x-amz-copy-source")
	path, query, _ := strings.Cut(raw, "?")
	unescaped, err := url.PathUnescape(strings.TrimPrefix(path, "/"))
	if err != nil {
		return objstore.CopySource{}, fmt.Errorf("x-amz-copy-source %q: %w", raw, objstore.ErrInvalidArgument)
	}
	bucket, key, ok := strings.Cut(unescaped, "/")
	if !ok || bucket == "" || key == "" {
		return objstore.CopySource{}, fmt.Errorf("x-amz-copy-source %q: %w", raw, objstore.ErrInvalidArgument)
	}
	src := objstore.CopySource{Bucket: bucket, Key: key}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return src, fmt.Errorf("x-amz-copy-source %q: %w", raw, objstore.ErrInvalidArgument)
		}
		src.VersionID = q.Get("versionId")
	}
	src.Conditions, err = conditionsFromHeaders(h, "x-amz-copy-source-")
	return src, err
}

func parseDirective(h http.Header, name string) (objstore.MetadataDirective, error) {
	switch d := objstore.MetadataDirective(strings.ToUpper(h.Get(name))); d {
	case "", objstore.MetadataCopy:
		return objstore.MetadataCopy, nil
	case objstore.MetadataReplace:
		return d, nil
	default:
		return "", fmt.Errorf("%s %q: %w", name, d, objstore.ErrInvalidArgument)
	}
}

func (s *Server) copyObject(ctx context.Context, rq *request) error {
	h := rq.r.Header
	src, err := parseCopySource(h)
	if err != nil {
		return err
	}
	opts := objstore.CopyOptions{Source: src, IfMatch: h.Get("If-Match"), IfNoneMatch: h.Get("If-None-Match")}
	if opts.MetadataDirective, err = parseDirective(h, "x-amz-metadata-directive"); err != nil {
		return err
	}
	if opts.TaggingDirective, err = parseDirective(h, "x-amz-tagging-directive"); err != nil {
		return err
	}
	po, err := putOptions(rq)
	if err != nil {
		return err
	}
	opts.Meta, opts.Lock = po.ObjectMeta, po.Lock
	opts.Encryption = po.Encryption
	if opts.Source.SSECustomerKey, err = customerKey(rq, copySourcePrefix); err != nil {
		return err
	}
	info, err := s.store.CopyObject(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	s.setPutExpiration(ctx, rq, info)
	setVersionHeader(rq.w.Header(), info.VersionID)
	setWriteEncryptionHeaders(rq.w.Header(), info.Encryption, s.keyARNs())
	if src.VersionID != "" {
		rq.w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	return writeXML(rq, copyObjectResult{NS: s3NS, LastModified: timeISO(info.LastModified), ETag: quoteETag(info.ETag)})
}

func (s *Server) getObjectTagging(ctx context.Context, rq *request) error {
	tags, vid, err := s.store.GetObjectTagging(ctx, rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), vid)
	return writeXML(rq, toTagging(tags))
}

func (s *Server) putObjectTagging(ctx context.Context, rq *request) error {
	tags, err := readTagging(rq, objstore.MaxTags)
	if err != nil {
		return err
	}
	vid, err := s.store.PutObjectTagging(ctx, rq.bucket, rq.key, rq.query.Get("versionId"), tags)
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), vid)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) deleteObjectTagging(ctx context.Context, rq *request) error {
	vid, err := s.store.DeleteObjectTagging(ctx, rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), vid)
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// setPartsCount reports a multipart object's part count to reads of one
// part, as S3 does.
func setPartsCount(h http.Header, opts objstore.GetOptions, info *objstore.ObjectInfo) {
	if opts.PartNumber > 0 && info.PartsCount > 0 {
		h.Set("x-amz-mp-parts-count", strconv.Itoa(info.PartsCount))
	}
}
