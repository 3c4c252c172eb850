package s3client

import (
	"context"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// PutObject stores body as the new current version of key with one PUT.
// A body of unknown size (opts.Size -1) is buffered first (see the package
// documentation); a known size streams.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	o := op{name: "PutObject", bucket: bucket, key: key}
	if err := s.checkObject(o); err != nil {
		return objstore.ObjectInfo{}, err
	}
	if err := checkChecksum(opts.Checksum); err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	p, err := s.payloadFor(body, opts.Size, objstore.MaxPutSize, opts.Checksum)
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	defer p.release()
	in := putInput(bucket, key, p, &opts)
	out, err := s.client.PutObject(ctx, in, callOptions(!p.seekable || s.unsigned, opts.Expires)...)
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(p.cause(err))
	}
	return objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          key,
		VersionID:    versionOf(out.VersionId),
		IsLatest:     true,
		Size:         p.size,
		ETag:         unquote(out.ETag),
		LastModified: serverTime(out.ResultMetadata),
		ObjectMeta:   storedMeta(opts.ObjectMeta),
		Checksum: checksumFields{
			CRC32: out.ChecksumCRC32, CRC32C: out.ChecksumCRC32C, CRC64NVME: out.ChecksumCRC64NVME,
			SHA1: out.ChecksumSHA1, SHA256: out.ChecksumSHA256, Type: out.ChecksumType,
		}.checksum(),
		Encryption: objstore.Encryption{
			Algorithm: string(out.ServerSideEncryption), KMSKeyID: aws.ToString(out.SSEKMSKeyId),
			CustomerAlgorithm: aws.ToString(out.SSECustomerAlgorithm), CustomerKeyMD5: aws.ToString(out.SSECustomerKeyMD5),
		},
	}, nil
}

// payloadFor prepares a body. Over HTTPS the SDK sends a checksum it
// computes as a trailer, after the body; over plain HTTP it can only send
// it in a header, before, so a body that is not rewindable but needs a
// checksum computed is buffered first.
func (s *Store) payloadFor(body io.Reader, size, limit int64, c *objstore.Checksum) (*payload, error) {
	p, err := newPayload(body, size, limit, s.tempDir)
	if err != nil || p.seekable || c == nil || c.Value != "" || !s.plainHTTP {
		return p, err
	}
	return spoolExact(p, limit, s.tempDir)
}

// spoolExact buffers a streaming payload, still checking its length.
func spoolExact(p *payload, limit int64, tempDir string) (*payload, error) {
	b, err := spool(p.body, limit, tempDir)
	if err != nil {
		return nil, p.cause(err)
	}
	return b, nil
}

// putInput builds the PutObject request.
func putInput(bucket, key string, p *payload, opts *objstore.PutOptions) *s3.PutObjectInput {
	alg, sums := checksumRequest(opts.Checksum)
	m := &opts.ObjectMeta
	in := &s3.PutObjectInput{
		Bucket:             aws.String(bucket),
		Key:                aws.String(key),
		Body:               p.body,
		ContentLength:      aws.Int64(p.size),
		ContentMD5:         optString(opts.ContentMD5),
		ContentType:        optString(m.ContentType),
		ContentEncoding:    optString(m.ContentEncoding),
		ContentDisposition: optString(m.ContentDisposition),
		ContentLanguage:    optString(m.ContentLanguage),
		CacheControl:       optString(m.CacheControl),
		Metadata:           m.UserMetadata,
		Tagging:            tagHeader(m.Tags),
		StorageClass:       types.StorageClass(m.StorageClass),
		ChecksumAlgorithm:  alg,
		ChecksumCRC32:      sums.CRC32,
		ChecksumCRC32C:     sums.CRC32C,
		ChecksumCRC64NVME:  sums.CRC64NVME,
		ChecksumSHA1:       sums.SHA1,
		ChecksumSHA256:     sums.SHA256,
		IfMatch:            optString(quote(opts.IfMatch)),
		IfNoneMatch:        optString(quote(opts.IfNoneMatch)),
	}
	encryptionRequest(opts.Encryption).put(in)
	lockRequestOf(opts.Lock).put(in)
	return in
}

// callOptions are the per-call SDK options of a request: an unrewindable
// body goes unsigned (UNSIGNED-PAYLOAD), since signing it would need a
// second read; Expires goes as the caller wrote it, which the SDK's
// time-typed field could not carry.
func callOptions(unsigned bool, expires string) []func(*s3.Options) {
	fns := []func(*middleware.Stack) error{noDefaultContentType}
	if unsigned {
		fns = append(fns, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
	}
	if expires != "" {
		fns = append(fns, smithyhttp.SetHeaderValue("Expires", expires))
	}
	return []func(*s3.Options){func(o *s3.Options) { o.APIOptions = append(o.APIOptions, fns...) }}
}

// noDefaultContentType drops the Content-Type the SDK sets on a body the
// caller gave none for (application/octet-stream), so that the server
// applies its own default, as S3 does (binary/octet-stream).
func noDefaultContentType(st *middleware.Stack) error {
	return st.Build.Add(middleware.BuildMiddlewareFunc("cairnNoDefaultContentType",
		func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok && smithyhttp.GetIsContentTypeDefaultValue(ctx) {
				req.Header.Del("Content-Type")
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
}

// storedMeta is the metadata an object written with m carries: S3 reports
// the default storage class by name.
func storedMeta(m objstore.ObjectMeta) objstore.ObjectMeta {
	m.StorageClass = storageClass(m.StorageClass)
	m.UserMetadata = objstore.LowerMetadataKeys(m.UserMetadata)
	return m
}

// serverTime returns the time the server answered, from its Date header,
// for calls whose response reports no Last-Modified; the local clock when
// it sent none.
func serverTime(md middleware.Metadata) time.Time {
	if t, ok := awsmiddleware.GetServerTime(md); ok {
		return t.UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}
