package transfer

import (
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// Defaults of Options.
const (
	// DefaultThreshold is the size from which uploads go multipart and
	// downloads fetch ranges in parallel.
	DefaultThreshold = 64 << 20
	// DefaultPartSize is the size of a part or range before it grows to
	// keep an object within objstore.MaxPartNumber parts.
	DefaultPartSize = 8 << 20
	// DefaultConcurrency is how many parts or ranges move at once.
	DefaultConcurrency = 4
	// DefaultCopyThreshold is the size from which a copy goes multipart:
	// the largest object a single server-side copy may write.
	DefaultCopyThreshold = objstore.MaxPutSize
)

// Options tune a transfer. The zero value uses the defaults.
type Options struct {
	// Threshold is the size from which Upload goes multipart and
	// DownloadAt fetches ranges in parallel; 0 means DefaultThreshold.
	Threshold int64
	// CopyThreshold is the size above which Copy goes multipart; 0 means
	// DefaultCopyThreshold.
	CopyThreshold int64
	// PartSize is the size of each part or range; 0 means
	// DefaultPartSize. It is raised to objstore.MinPartSize, and as needed
	// to fit the object in objstore.MaxPartNumber parts.
	PartSize int64
	// Concurrency is how many parts or ranges move at once; 0 means
	// DefaultConcurrency.
	Concurrency int
	// Progress, when set, is told how many more bytes have moved. Calls
	// never overlap, so it needs no locking of its own.
	Progress func(n int64)
	// Put holds the metadata, storage class and write conditions of the
	// object Upload writes. Its Size is ignored.
	Put objstore.PutOptions
	// VersionID selects the version Download and DownloadAt read; empty
	// means the current one.
	VersionID string
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.CopyThreshold <= 0 {
		o.CopyThreshold = DefaultCopyThreshold
	}
	if o.PartSize <= 0 {
		o.PartSize = DefaultPartSize
	}
	o.PartSize = min(max(o.PartSize, objstore.MinPartSize), objstore.MaxPartSize)
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	o.Progress = serialize(o.Progress)
	return o
}

// partSize returns the size of every part (but the last) of an object of
// size bytes: the configured size, grown to a whole MiB that keeps the
// object within objstore.MaxPartNumber parts.
func (o Options) partSize(size int64) int64 {
	const mib = 1 << 20
	ps := o.PartSize
	if need := (size + objstore.MaxPartNumber - 1) / objstore.MaxPartNumber; need > ps {
		ps = (need + mib - 1) / mib * mib
	}
	return min(ps, objstore.MaxPartSize)
}

// streamPartSize returns the size of part n of a stream of unknown
// length: the configured size, doubled every thousand parts so that the
// stream may reach objstore.MaxObjectSize within objstore.MaxPartNumber parts.
func (o Options) streamPartSize(n int) int64 {
	ps := o.PartSize
	for i := 1000; i < n && ps < objstore.MaxPartSize; i += 1000 {
		ps *= 2
	}
	return min(ps, objstore.MaxPartSize)
}

// serialize wraps fn so that concurrent calls run one at a time.
func serialize(fn func(int64)) func(int64) {
	if fn == nil {
		return func(int64) {}
	}
	var mu sync.Mutex
	return func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		fn(n)
	}
}
