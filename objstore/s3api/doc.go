// Package s3api serves an objstore.Store over the S3 REST API: path-style
// and virtual-hosted-style addressing, SigV4 authentication (package
// sigv4), authorization by bucket and identity policies as AWS judges
// them (package policy, users from Config.Identities) with the public
// access block, S3's XML bodies and error documents, and x-amz-request-id
// on every response. Operations it does not implement answer S3's
// NotImplemented error; nothing is silently ignored.
package s3api
