package s3client

import (
	"crypto/md5"
	"encoding/base64"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// sseRequest is the encryption headers of a request, as the SDK's input
// fields take them.
type sseRequest struct {
	alg               types.ServerSideEncryption
	kmsKeyID, context *string
	bucketKey         *bool
	customer          customerKey
}

// customerKey is an SSE-C key as the SDK sends it: algorithm, base64 key
// and base64 MD5.
type customerKey struct {
	alg, key, md5 *string
}

func encryptionRequest(enc objstore.Encryption) sseRequest {
	r := sseRequest{
		alg:      types.ServerSideEncryption(enc.Algorithm),
		kmsKeyID: optString(enc.KMSKeyID),
		context:  optString(enc.KMSContext),
		customer: customerKeyOf(enc.CustomerKey),
	}
	if enc.BucketKeyEnabled {
		r.bucketKey = aws.Bool(true)
	}
	return r
}

func customerKeyOf(key []byte) customerKey {
	if len(key) == 0 {
		return customerKey{}
	}
	sum := md5.Sum(key)
	return customerKey{
		alg: aws.String("AES256"),
		key: aws.String(base64.StdEncoding.EncodeToString(key)),
		md5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	}
}

func (r sseRequest) put(in *s3.PutObjectInput) {
	in.ServerSideEncryption, in.SSEKMSKeyId, in.SSEKMSEncryptionContext, in.BucketKeyEnabled = r.alg, r.kmsKeyID, r.context, r.bucketKey
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = r.customer.alg, r.customer.key, r.customer.md5
}

func (r sseRequest) create(in *s3.CreateMultipartUploadInput) {
	in.ServerSideEncryption, in.SSEKMSKeyId, in.SSEKMSEncryptionContext, in.BucketKeyEnabled = r.alg, r.kmsKeyID, r.context, r.bucketKey
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = r.customer.alg, r.customer.key, r.customer.md5
}

func (r sseRequest) copy(in *s3.CopyObjectInput) {
	in.ServerSideEncryption, in.SSEKMSKeyId, in.SSEKMSEncryptionContext, in.BucketKeyEnabled = r.alg, r.kmsKeyID, r.context, r.bucketKey
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = r.customer.alg, r.customer.key, r.customer.md5
}

func (c customerKey) copySource(in *s3.CopyObjectInput) {
	in.CopySourceSSECustomerAlgorithm, in.CopySourceSSECustomerKey, in.CopySourceSSECustomerKeyMD5 = c.alg, c.key, c.md5
}

func (c customerKey) partCopySource(in *s3.UploadPartCopyInput) {
	in.CopySourceSSECustomerAlgorithm, in.CopySourceSSECustomerKey, in.CopySourceSSECustomerKeyMD5 = c.alg, c.key, c.md5
}

func (c customerKey) partCopy(in *s3.UploadPartCopyInput) {
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = c.alg, c.key, c.md5
}

func (c customerKey) part(in *s3.UploadPartInput) {
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = c.alg, c.key, c.md5
}

func (c customerKey) get(in *s3.GetObjectInput) {
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = c.alg, c.key, c.md5
}

func (c customerKey) head(in *s3.HeadObjectInput) {
	in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = c.alg, c.key, c.md5
}
