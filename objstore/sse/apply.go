package sse

import (
	"context"
	"errors"
	"io"

	"github.com/cairnfs/cairn/objstore"
)

// WriteDefaults are what a client (a mount, a sync, a copy) asks of every
// object it writes: an encryption and a storage class. An SSE-C key in
// Encryption is also given on every read, so the client can read back
// what it wrote.
type WriteDefaults struct {
	Encryption   objstore.Encryption
	StorageClass objstore.StorageClass
}

// empty tells whether the defaults ask for nothing.
func (d WriteDefaults) empty() bool {
	return !Encrypted(d.Encryption) && d.StorageClass == ""
}

// Apply returns st with d applied to every write that does not ask for
// its own encryption or storage class; st itself when d asks for nothing.
func Apply(st objstore.Store, d WriteDefaults) objstore.Store {
	if d.empty() {
		return st
	}
	return &applied{Store: st, d: d}
}

type applied struct {
	objstore.Store
	d WriteDefaults
}

func (a *applied) key() []byte { return a.d.Encryption.CustomerKey }

// keyIf is the SSE-C key when with is set, else none.
func (a *applied) keyIf(with bool) []byte {
	if with {
		return a.key()
	}
	return nil
}

func (a *applied) fill(enc *objstore.Encryption, class *objstore.StorageClass) {
	if !Encrypted(*enc) {
		*enc = a.d.Encryption
	}
	if *class == "" {
		*class = a.d.StorageClass
	}
}

// PutObject implements objstore.Store.
func (a *applied) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	a.fill(&opts.Encryption, &opts.StorageClass)
	return a.Store.PutObject(ctx, bucket, key, body, opts)
}

// CreateMultipartUpload implements objstore.Store.
func (a *applied) CreateMultipartUpload(ctx context.Context, bucket, key string, opts objstore.PutOptions) (string, error) {
	a.fill(&opts.Encryption, &opts.StorageClass)
	return a.Store.CreateMultipartUpload(ctx, bucket, key, opts)
}

// UploadPart implements objstore.Store.
func (a *applied) UploadPart(ctx context.Context, bucket, key, uploadID string, n int, body io.Reader, opts objstore.PartOptions) (objstore.PartInfo, error) {
	if opts.SSECustomerKey == nil {
		opts.SSECustomerKey = a.key()
	}
	return a.Store.UploadPart(ctx, bucket, key, uploadID, n, body, opts)
}

// UploadPartCopy implements objstore.Store.
func (a *applied) UploadPartCopy(ctx context.Context, bucket, key, uploadID string, n int, opts objstore.PartCopyOptions) (objstore.PartInfo, error) {
	if opts.SSECustomerKey == nil {
		opts.SSECustomerKey = a.key()
	}
	try := opts.Source.SSECustomerKey == nil && a.key() != nil
	return withKeyOrNot(try, func(withKey bool) (objstore.PartInfo, error) {
		if try {
			opts.Source.SSECustomerKey = a.keyIf(withKey)
		}
		return a.Store.UploadPartCopy(ctx, bucket, key, uploadID, n, opts)
	})
}

// CopyObject implements objstore.Store.
func (a *applied) CopyObject(ctx context.Context, bucket, key string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	a.fill(&opts.Encryption, &opts.Meta.StorageClass)
	try := opts.Source.SSECustomerKey == nil && a.key() != nil
	return withKeyOrNot(try, func(withKey bool) (objstore.ObjectInfo, error) {
		if try {
			opts.Source.SSECustomerKey = a.keyIf(withKey)
		}
		return a.Store.CopyObject(ctx, bucket, key, opts)
	})
}

// GetObject implements objstore.Store.
func (a *applied) GetObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (*objstore.Object, error) {
	try := opts.SSECustomerKey == nil && a.key() != nil
	return withKeyOrNot(try, func(withKey bool) (*objstore.Object, error) {
		if try {
			opts.SSECustomerKey = a.keyIf(withKey)
		}
		return a.Store.GetObject(ctx, bucket, key, opts)
	})
}

// HeadObject implements objstore.Store.
func (a *applied) HeadObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (objstore.ObjectInfo, error) {
	try := opts.SSECustomerKey == nil && a.key() != nil
	return withKeyOrNot(try, func(withKey bool) (objstore.ObjectInfo, error) {
		if try {
			opts.SSECustomerKey = a.keyIf(withKey)
		}
		return a.Store.HeadObject(ctx, bucket, key, opts)
	})
}

// withKeyOrNot runs a read with the SSE-C key when try is set, and again
// without it when the object turns out not to be SSE-C encrypted (S3
// refuses a key for those with InvalidRequest), so that a client with a
// key still reads the other objects of its bucket.
func withKeyOrNot[T any](try bool, call func(withKey bool) (T, error)) (T, error) {
	v, err := call(try)
	if try && errors.Is(err, objstore.ErrInvalidRequest) {
		return call(false)
	}
	return v, err
}
