// Package s3client implements objstore.Store over any S3 endpoint (AWS S3,
// MinIO, Ceph RGW, cairn's own server) with aws-sdk-go-v2.
//
// Each Store method is the S3 call of the same name; errors come back as
// the objstore conditions their S3 error codes name (errors.go holds the
// one table), a read that hits a delete marker as *objstore.DeleteMarkerError.
//
// Choices worth knowing:
//
//   - Bodies of known size stream: the SDK sends them with a
//     Content-Length and without reading them first. A body that cannot be
//     rewound (not an io.ReadSeeker) is sent as UNSIGNED-PAYLOAD, over
//     HTTPS as over plain HTTP, since signing its hash would need a second
//     read. A rewindable one is signed over plain HTTP (read twice: to
//     hash, then to send) unless Options.UnsignedPayload says otherwise
//     or the endpoint is on this machine (localhost, a loopback address,
//     where no one on the path could alter it), and sent unsigned over
//     HTTPS, as the SDK does. Either way the body
//     is checked to hold exactly the size given
//     (objstore.ErrIncompleteBody), and a surplus is found before the last
//     byte is sent, so the server never stores a cut version.
//   - Bodies of unknown size (Size -1) are buffered before a single PUT,
//     in memory up to 8 MiB and beyond that in an unlinked temporary file
//     (Options.TempDir), up to S3's 5 GiB limit for a PUT. A single PUT
//     keeps PutObject's semantics whole: an MD5 ETag, a full-object
//     checksum and an atomic conditional write, which a multipart upload
//     would each change. Large streams are the job of objstore/transfer,
//     which uploads parts.
//   - Checksums are computed only when the caller asks
//     (PutOptions.Checksum, PartOptions.Checksum) or S3 requires one
//     (RequestChecksumCalculation WhenRequired): that is what every
//     S3-compatible server accepts. A checksum with a value is sent as is;
//     one with only an algorithm is computed by the SDK, in a header (the
//     body is buffered first if it cannot be rewound) or, over HTTPS, as
//     an aws-chunked trailer.
//   - Reads ask for the stored checksum (ChecksumMode ENABLED) and report
//     it; the SDK verifies a full-object checksum while the body is read.
//   - Listings travel URL-encoded (encoding-type=url) so that any key
//     lists, and ListObjectVersions reads the interleaving of versions and
//     delete markers from the response body, which the SDK's two lists lose.
//   - S3 names no version for objects of buckets never versioned; they are
//     reported as objstore.NullVersionID, as S3 lists them.
//   - A HEAD 404 carries no error code. HeadObject then asks HeadBucket
//     whether the bucket exists, to tell ErrNoSuchBucket from ErrNoSuchKey.
//   - Some answers of S3 say less than the contract returns: CopyObject
//     and CompleteMultipartUpload read the new version back with a HEAD
//     (by version ID, or by ETag on unversioned buckets), HeadBucket adds
//     GetBucketVersioning and ListBuckets, and the headers of GetObject and
//     HeadObject only count tags, so an object's tags, when it has some,
//     are read with GetObjectTagging. Part counts come from the ETag
//     ("-N"), which S3 reports on every read, where x-amz-mp-parts-count
//     comes only with a part number.
//   - A PUT without a content type goes without one (the SDK would send
//     application/octet-stream), so the server applies its own default,
//     binary/octet-stream on S3.
package s3client
