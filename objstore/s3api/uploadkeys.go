package s3api

import (
	"strings"
	"sync"

	"github.com/cairnfs/cairn/objstore/policy"
)

// maxRememberedUploads bounds the uploads whose creation keys are kept.
const maxRememberedUploads = 10000

// uploadKeys remembers the object-creation condition keys (encryption,
// ACL, storage class, tags, …) that CreateMultipartUpload carried, so that
// the requests continuing the upload (UploadPart, CompleteMultipartUpload),
// which do not repeat those headers, are judged by them as S3 does. A
// server restarted in the middle of an upload has forgotten them: the
// continuing requests then carry only their own headers.
type uploadKeys struct {
	mu sync.Mutex
	m  map[string]policy.Values
}

// remember keeps the creation keys of an upload.
func (u *uploadKeys) remember(uploadID string, v policy.Values) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[string]policy.Values{}
	}
	if len(u.m) >= maxRememberedUploads {
		for id := range u.m {
			delete(u.m, id)
			break
		}
	}
	u.m[uploadID] = v
}

// forget drops an upload that completed or was aborted.
func (u *uploadKeys) forget(uploadID string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.m, uploadID)
}

// addTo sets on v the creation keys of an upload that v lacks.
func (u *uploadKeys) addTo(uploadID string, v policy.Values) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for k, vals := range u.m[uploadID] {
		if _, ok := v[k]; !ok {
			v[k] = vals
		}
	}
}

// creationKeys picks the object-creation keys of a request's context.
func creationKeys(v policy.Values) policy.Values {
	out := policy.Values{}
	for k, vals := range v {
		if isCreationKey(k) {
			out[k] = vals
		}
	}
	return out
}

func isCreationKey(k string) bool {
	for _, p := range []string{"s3:x-amz-server-side-encryption", "s3:x-amz-acl", "s3:x-amz-grant-", "s3:x-amz-storage-class",
		"s3:x-amz-object-lock-", "s3:requestobjecttag"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// rememberUpload keeps the creation keys of a multipart upload just
// created.
func (s *Server) rememberUpload(rq *request, uploadID string) {
	who := s.principal(rq)
	if rq.auth != nil && rq.auth.who != nil {
		who = rq.auth.who
	}
	s.uploads.remember(uploadID, creationKeys(s.conditionContext(rq, who)))
}
