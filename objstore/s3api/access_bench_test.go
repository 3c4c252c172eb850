package s3api

import (
	"context"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// benchPolicy is a bucket policy of a few statements with conditions, as
// a bucket serving many clients has.
const benchPolicy = `{"Version":"2012-10-17","Statement":[
{"Sid":"Read","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::bench/public/*"},
{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bench","arn:aws:s3:::bench/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}},
{"Sid":"KMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bench/secure/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}},
{"Sid":"Team","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000001:user/alice","arn:aws:iam::000000000001:user/bob"]},"Action":"s3:*","Resource":"arn:aws:s3:::bench/team/${aws:username}/*"}]}`

// BenchmarkBucketAccess is what every request pays to learn its bucket's
// owner, policy and public access block.
func BenchmarkBucketAccess(b *testing.B) {
	ctx := context.Background()
	st, err := disk.Open(b.TempDir(), disk.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.CreateBucket(ctx, "bench", objstore.CreateBucketOptions{}); err != nil {
		b.Fatal(err)
	}
	for name, doc := range map[string]string{configPolicy: benchPolicy, configPublicAccessBlock: `{"BlockPublicAcls":true}`} {
		if err := st.PutBucketConfig(ctx, "bench", name, []byte(doc)); err != nil {
			b.Fatal(err)
		}
	}
	s := New(st, Config{})
	for b.Loop() {
		if _, err := s.bucketAccess(ctx, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
