package s3api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

func (s *Server) createMultipartUpload(ctx context.Context, rq *request) error {
	opts, err := putOptions(rq)
	if err != nil {
		return err
	}
	id, err := s.store.CreateMultipartUpload(ctx, rq.bucket, rq.key, opts)
	if err != nil {
		return err
	}
	if opts.Checksum != nil {
		rq.w.Header().Set("x-amz-checksum-algorithm", string(opts.Checksum.Algorithm))
	}
	setWriteEncryptionHeaders(rq.w.Header(), s.uploadEncryption(ctx, rq.bucket, opts.Encryption), s.keyARNs())
	s.rememberUpload(rq, id)
	return writeXML(rq, initiateMultipartUploadResult{NS: s3NS, Bucket: rq.bucket, Key: rq.key, UploadID: id})
}

// partNumber reads the partNumber parameter of a part upload.
func partNumber(rq *request) (int, error) {
	v := rq.query.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > objstore.MaxPartNumber {
		return 0, fmt.Errorf("partNumber %q: %w", v, objstore.ErrTooManyParts)
	}
	return n, nil
}

func (s *Server) uploadPart(ctx context.Context, rq *request) error {
	n, err := partNumber(rq)
	if err != nil {
		return err
	}
	size, err := contentLength(rq.r)
	if err != nil {
		return err
	}
	cs, err := checksumFromHeaders(rq.r.Header)
	if err != nil {
		return err
	}
	if cs == nil && rq.auth.trailerChecksum != "" {
		cs = &objstore.Checksum{Algorithm: rq.auth.trailerChecksum}
	}
	opts := objstore.PartOptions{Size: size, ContentMD5: rq.r.Header.Get("Content-MD5"), Checksum: cs}
	if opts.SSECustomerKey, err = customerKey(rq, ""); err != nil {
		return err
	}
	part, err := s.store.UploadPart(ctx, rq.bucket, rq.key, rq.query.Get("uploadId"), n, rq.body, opts)
	if err != nil {
		return err
	}
	rq.w.Header().Set("ETag", quoteETag(part.ETag))
	setChecksumHeader(rq.w.Header(), part.Checksum)
	setRequestedEncryptionHeaders(rq.w.Header(), opts.SSECustomerKey)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) uploadPartCopy(ctx context.Context, rq *request) error {
	n, err := partNumber(rq)
	if err != nil {
		return err
	}
	src, err := parseCopySource(rq.r.Header)
	if err != nil {
		return err
	}
	opts := objstore.PartCopyOptions{Source: src}
	if opts.Source.SSECustomerKey, err = customerKey(rq, copySourcePrefix); err != nil {
		return err
	}
	if opts.SSECustomerKey, err = customerKey(rq, ""); err != nil {
		return err
	}
	if v := rq.r.Header.Get("x-amz-copy-source-range"); v != "" {
		r, err := objstore.ParseRange(v)
		if err != nil || r.SuffixLength > 0 || r.Last < 0 {
			return fmt.Errorf("x-amz-copy-source-range %q: %w", v, objstore.ErrInvalidCopySourceRange)
		}
		opts.Range = r
	}
	part, err := s.store.UploadPartCopy(ctx, rq.bucket, rq.key, rq.query.Get("uploadId"), n, opts)
	if err != nil {
		return err
	}
	if src.VersionID != "" {
		rq.w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	return writeXML(rq, copyPartResult{NS: s3NS, LastModified: timeISO(part.LastModified), ETag: quoteETag(part.ETag)})
}

func (s *Server) completeMultipartUpload(ctx context.Context, rq *request) error {
	var req completeMultipartUpload
	if err := readXML(rq, &req); err != nil {
		return err
	}
	if len(req.Parts) > objstore.MaxPartNumber {
		return fmt.Errorf("%d parts: %w", len(req.Parts), objstore.ErrMalformedXML)
	}
	parts := make([]objstore.CompletedPart, len(req.Parts))
	for i, p := range req.Parts {
		parts[i] = objstore.CompletedPart{
			PartNumber: p.PartNumber,
			ETag:       strings.Trim(p.ETag, `"`),
			Checksum:   firstNonEmpty(p.ChecksumCRC32, p.ChecksumCRC32C, p.ChecksumCRC64NVME, p.ChecksumSHA1, p.ChecksumSHA256),
		}
	}
	opts := objstore.CompleteOptions{IfMatch: rq.r.Header.Get("If-Match"), IfNoneMatch: rq.r.Header.Get("If-None-Match")}
	info, err := s.store.CompleteMultipartUpload(ctx, rq.bucket, rq.key, rq.query.Get("uploadId"), parts, opts)
	if err != nil {
		return err
	}
	s.uploads.forget(rq.query.Get("uploadId"))
	setVersionHeader(rq.w.Header(), info.VersionID)
	setEncryptionHeaders(rq.w.Header(), info.Encryption, s.keyARNs())
	s.setPutExpiration(ctx, rq, info)
	res := completeMultipartUploadResult{
		NS: s3NS, Location: "/" + rq.bucket + "/" + rq.key, Bucket: rq.bucket, Key: rq.key, ETag: quoteETag(info.ETag),
	}
	if c := info.Checksum; c != nil {
		res.ChecksumType = c.Type
		switch c.Algorithm {
		case objstore.ChecksumCRC32:
			res.ChecksumCRC32 = c.Value
		case objstore.ChecksumCRC32C:
			res.ChecksumCRC32C = c.Value
		case objstore.ChecksumCRC64NVME:
			res.ChecksumCRC64NVME = c.Value
		case objstore.ChecksumSHA1:
			res.ChecksumSHA1 = c.Value
		case objstore.ChecksumSHA256:
			res.ChecksumSHA256 = c.Value
		}
	}
	return writeXML(rq, res)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (s *Server) abortMultipartUpload(ctx context.Context, rq *request) error {
	if err := s.store.AbortMultipartUpload(ctx, rq.bucket, rq.key, rq.query.Get("uploadId")); err != nil {
		return err
	}
	s.uploads.forget(rq.query.Get("uploadId"))
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listParts(ctx context.Context, rq *request) error {
	n, err := maxKeys(rq, "max-parts")
	if err != nil {
		return err
	}
	marker := 0
	if v := rq.query.Get("part-number-marker"); v != "" {
		if marker, err = strconv.Atoi(v); err != nil || marker < 0 {
			return fmt.Errorf("part-number-marker %q: %w", v, objstore.ErrInvalidArgument)
		}
	}
	id := rq.query.Get("uploadId")
	page, err := s.store.ListParts(ctx, rq.bucket, rq.key, id, objstore.ListPartsOptions{PartNumberMarker: marker, MaxParts: n})
	if err != nil {
		return err
	}
	res := listPartsResult{
		NS: s3NS, Bucket: rq.bucket, Key: rq.key, UploadID: id, Initiator: s.owner, Owner: s.owner,
		StorageClass: string(page.StorageClass), PartNumberMarker: marker, NextPartNumberMarker: page.NextPartNumberMarker,
		MaxParts: n, IsTruncated: page.IsTruncated, ChecksumAlgorithm: string(page.ChecksumAlgorithm),
	}
	if res.StorageClass == "" {
		res.StorageClass = string(objstore.DefaultStorageClass)
	}
	for _, p := range page.Parts {
		res.Parts = append(res.Parts, partItem{PartNumber: p.PartNumber, LastModified: timeISO(p.LastModified), ETag: quoteETag(p.ETag), Size: p.Size})
	}
	return writeXML(rq, res)
}

func (s *Server) listMultipartUploads(ctx context.Context, rq *request) error {
	q := rq.query
	e, err := newEncoder(rq)
	if err != nil {
		return err
	}
	n, err := maxKeys(rq, "max-uploads")
	if err != nil {
		return err
	}
	opts := objstore.ListUploadsOptions{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), KeyMarker: q.Get("key-marker"),
		UploadIDMarker: q.Get("upload-id-marker"), MaxUploads: n,
	}
	page, err := s.store.ListMultipartUploads(ctx, rq.bucket, opts)
	if err != nil {
		return err
	}
	res := listMultipartUploadsResult{
		NS: s3NS, Bucket: rq.bucket, KeyMarker: e.enc(opts.KeyMarker), UploadIDMarker: opts.UploadIDMarker,
		NextKeyMarker: e.enc(page.NextKeyMarker), NextUploadIDMarker: page.NextUploadIDMarker,
		Prefix: e.enc(opts.Prefix), Delimiter: e.enc(opts.Delimiter), MaxUploads: n,
		IsTruncated: page.IsTruncated, EncodingType: e.typ(), CommonPrefixes: e.prefixes(page.CommonPrefixes),
	}
	for _, u := range page.Uploads {
		sc := string(u.StorageClass)
		if sc == "" {
			sc = string(objstore.DefaultStorageClass)
		}
		res.Uploads = append(res.Uploads, uploadItem{
			Key: e.enc(u.Key), UploadID: u.UploadID, Initiator: s.owner, Owner: s.owner,
			StorageClass: sc, Initiated: timeISO(u.Initiated),
		})
	}
	return writeXML(rq, res)
}

// maxDeleteObjects is S3's limit of keys in one DeleteObjects request.
const maxDeleteObjects = 1000

func (s *Server) deleteObjects(ctx context.Context, rq *request) error {
	if rq.r.Header.Get("Content-MD5") == "" && !hasChecksumHeader(rq.r.Header) {
		return fmt.Errorf("DeleteObjects without Content-MD5 or a checksum: %w", errMissingContentMD5)
	}
	var req deleteRequest
	if err := readXML(rq, &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteObjects {
		return fmt.Errorf("DeleteObjects of %d keys (1 to %d): %w", len(req.Objects), maxDeleteObjects, objstore.ErrMalformedXML)
	}
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	if err := s.checkMFADelete(ctx, rq, namesVersion(req)); err != nil {
		return err
	}
	res := deleteResult{NS: s3NS}
	for _, o := range req.Objects {
		if err := s.authorizeKey(ctx, rq, o.Key, o.VersionID); err != nil {
			e := objstore.AsError(err)
			res.Errors = append(res.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		r, err := s.store.DeleteObject(ctx, rq.bucket, o.Key, objstore.DeleteOptions{VersionID: o.VersionID, BypassGovernance: bypassGovernance(rq)})
		if err != nil {
			e := objstore.AsError(err)
			res.Errors = append(res.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		if req.Quiet {
			continue
		}
		d := deletedObject{Key: o.Key, VersionID: o.VersionID}
		if r.DeleteMarker {
			d.DeleteMarker = true
			d.DeleteMarkerVersionID = r.VersionID
		}
		res.Deleted = append(res.Deleted, d)
	}
	return writeXML(rq, res)
}

var errMissingContentMD5 = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Missing required header for this request: Content-MD5 or x-amz-checksum-*"}

func hasChecksumHeader(h http.Header) bool {
	for name := range h {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") || strings.EqualFold(name, "x-amz-sdk-checksum-algorithm") {
			return true
		}
	}
	return false
}
