package disk

import "log/slog"

// Defaults of Options.
const (
	DefaultRegion          = "us-east-1"
	DefaultInlineThreshold = 64 << 10
)

// Options tune an engine. The zero value is usable.
type Options struct {
	// Region is the default region of buckets; "us-east-1" when empty.
	Region string
	// InlineThreshold: objects smaller than this many bytes live inside
	// the KV instead of a file of their own. 0 means 64 KiB; a negative
	// value stores every object in a file.
	InlineThreshold int64
	// Logger receives the engine's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Keys makes and opens the data keys of encrypted versions. Without
	// it, writes asking for SSE-S3 or SSE-KMS fail with NotImplemented.
	Keys Keys
}

func (o Options) withDefaults() Options {
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	switch {
	case o.InlineThreshold == 0:
		o.InlineThreshold = DefaultInlineThreshold
	case o.InlineThreshold < 0:
		o.InlineThreshold = 0
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
