package s3client

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// metaPrefix starts the headers of user metadata.
const metaPrefix = "x-amz-meta-"

// infoFromHeaders reads an object's description from the headers of a GET
// or HEAD response. Tags are only counted there (x-amz-tagging-count);
// GetObjectTagging reads them.
func infoFromHeaders(bucket, key string, h http.Header) (objstore.ObjectInfo, error) {
	info := objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          key,
		VersionID:    versionOf(optString(h.Get("x-amz-version-id"))),
		IsLatest:     true,
		ETag:         unquote(optString(h.Get("ETag"))),
		LastModified: parseHTTPTime(h.Get("Last-Modified")),
		ObjectMeta: objstore.ObjectMeta{
			ContentType:        h.Get("Content-Type"),
			ContentEncoding:    h.Get("Content-Encoding"),
			ContentDisposition: h.Get("Content-Disposition"),
			ContentLanguage:    h.Get("Content-Language"),
			CacheControl:       h.Get("Cache-Control"),
			Expires:            h.Get("Expires"),
			UserMetadata:       userMetadata(h),
			StorageClass:       storageClass(h.Get("x-amz-storage-class")),
		},
		Checksum: checksumFromHeaders(h),
		Encryption: objstore.Encryption{
			Algorithm:         h.Get("x-amz-server-side-encryption"),
			KMSKeyID:          h.Get("x-amz-server-side-encryption-aws-kms-key-id"),
			CustomerAlgorithm: h.Get("x-amz-server-side-encryption-customer-algorithm"),
			CustomerKeyMD5:    h.Get("x-amz-server-side-encryption-customer-key-md5"),
		},
		ReplicationStatus: h.Get("x-amz-replication-status"),
		Restore:           restoreFromHeader(h.Get("x-amz-restore")),
	}
	info.PartsCount = partsFromETag(info.ETag)
	if v := h.Get("x-amz-mp-parts-count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return info, fmt.Errorf("x-amz-mp-parts-count %q: malformed", v)
		}
		info.PartsCount = n
	}
	return info, nil
}

// partsFromETag reads the part count of a multipart object from its ETag,
// "<hex>-N": S3 reports x-amz-mp-parts-count only to reads of one part.
func partsFromETag(etag string) int {
	i := strings.LastIndexByte(etag, '-')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(etag[i+1:])
	if err != nil || n < 1 || n > objstore.MaxPartNumber {
		return 0
	}
	return n
}

// tagCount returns the x-amz-tagging-count of a response.
func tagCount(h http.Header) int {
	n, _ := strconv.Atoi(h.Get("x-amz-tagging-count"))
	return n
}

// userMetadata collects the x-amz-meta-* headers by lower-case name.
func userMetadata(h http.Header) map[string]string {
	var m map[string]string
	for name, vals := range h {
		if len(name) <= len(metaPrefix) || !strings.EqualFold(name[:len(metaPrefix)], metaPrefix) {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[strings.ToLower(name[len(metaPrefix):])] = strings.Join(vals, ",")
	}
	return m
}

// checksumFromHeaders reads a stored checksum (x-amz-checksum-<alg>).
func checksumFromHeaders(h http.Header) *objstore.Checksum {
	for _, a := range []objstore.ChecksumAlgorithm{
		objstore.ChecksumCRC32, objstore.ChecksumCRC32C, objstore.ChecksumCRC64NVME,
		objstore.ChecksumSHA1, objstore.ChecksumSHA256,
	} {
		if v := h.Get("x-amz-checksum-" + strings.ToLower(string(a))); v != "" {
			return &objstore.Checksum{Algorithm: a, Value: v, Type: h.Get("x-amz-checksum-type")}
		}
	}
	return nil
}

// contentLength returns the length of a response's body as the server
// declared it (for a HEAD, of the body a GET would send).
func contentLength(resp *http.Response) (int64, error) {
	if v := resp.Header.Get("Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("content-length %q: malformed", v)
		}
		return n, nil
	}
	if resp.ContentLength < 0 {
		return 0, fmt.Errorf("response without a Content-Length")
	}
	return resp.ContentLength, nil
}
