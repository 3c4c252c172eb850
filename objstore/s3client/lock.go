package s3client

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/cairnfs/cairn/objstore"
)

// lockRequest is the object-lock headers of a write: retention mode and
// date, and legal hold, each sent only when set.
type lockRequest struct {
	mode  types.ObjectLockMode
	until *time.Time
	hold  types.ObjectLockLegalHoldStatus
}

func lockRequestOf(l objstore.ObjectLock) lockRequest {
	r := lockRequest{mode: types.ObjectLockMode(l.Mode)}
	if !l.RetainUntil.IsZero() {
		r.until = aws.Time(l.RetainUntil)
	}
	if l.LegalHold {
		r.hold = types.ObjectLockLegalHoldStatusOn
	}
	return r
}

// put sets the headers on a PutObject.
func (r lockRequest) put(in *s3.PutObjectInput) {
	in.ObjectLockMode, in.ObjectLockRetainUntilDate, in.ObjectLockLegalHoldStatus = r.mode, r.until, r.hold
}

// create sets the headers on a CreateMultipartUpload.
func (r lockRequest) create(in *s3.CreateMultipartUploadInput) {
	in.ObjectLockMode, in.ObjectLockRetainUntilDate, in.ObjectLockLegalHoldStatus = r.mode, r.until, r.hold
}
