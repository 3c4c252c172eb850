package events

import "context"

// Source describes the S3 request that causes a change: who made it, from
// where, and the server's answer identifiers. The S3 server puts it in the
// request's context; the store wrapper copies it into the events it
// publishes.
type Source struct {
	// Principal is the identity that signed the request (its access key).
	Principal string
	// SourceIP is the client's address, without the port.
	SourceIP string
	// RequestID and HostID are the x-amz-request-id and x-amz-id-2 the
	// server answered with.
	RequestID string
	HostID    string
	// Region is the server's region; OwnerID the canonical ID of the
	// bucket owner.
	Region  string
	OwnerID string
}

type sourceKey struct{}

// WithSource returns ctx carrying src.
func WithSource(ctx context.Context, src Source) context.Context {
	return context.WithValue(ctx, sourceKey{}, src)
}

// SourceFrom returns the Source ctx carries, and whether it carries one.
func SourceFrom(ctx context.Context) (Source, bool) {
	src, ok := ctx.Value(sourceKey{}).(Source)
	return src, ok
}
