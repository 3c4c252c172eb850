package replicate

import (
	"fmt"
	"strings"
)

// Target is where a destination bucket lives: Target is empty for a
// bucket of this store, else the name of a registered remote target.
type Target struct {
	Target string
	Bucket string
}

// ParseARN resolves a destination bucket ARN: arn:aws:s3:::bucket names a
// bucket of this store; arn:cairn:s3:TARGET::bucket names a bucket on the
// remote target TARGET (see Targets).
func ParseARN(arn string) (Target, error) {
	parts := strings.SplitN(arn, ":", 6)
	bad := invalidArgument("Invalid ARN: " + arn)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "s3" || parts[4] != "" {
		return Target{}, fmt.Errorf("destination %q: %w", arn, bad)
	}
	bucket := parts[5]
	if bucket == "" || strings.ContainsAny(bucket, "/:") {
		return Target{}, fmt.Errorf("destination %q: %w", arn, bad)
	}
	switch parts[1] {
	case "aws":
		if parts[3] != "" {
			return Target{}, fmt.Errorf("destination %q: a bucket ARN names no region: %w", arn, bad)
		}
		return Target{Bucket: bucket}, nil
	case "cairn":
		if !validTargetName(parts[3]) {
			return Target{}, fmt.Errorf("destination %q: target name %q: %w", arn, parts[3], bad)
		}
		return Target{Target: parts[3], Bucket: bucket}, nil
	}
	return Target{}, fmt.Errorf("destination %q: partition %q: %w", arn, parts[1], bad)
}

// String is the ARN of the destination.
func (t Target) String() string {
	if t.Target == "" {
		return "arn:aws:s3:::" + t.Bucket
	}
	return "arn:cairn:s3:" + t.Target + "::" + t.Bucket
}

// validTargetName tells whether name may name a target: letters, digits,
// '-', '_' and '.', 1 to 64 of them.
func validTargetName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}
