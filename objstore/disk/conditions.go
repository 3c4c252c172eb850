package disk

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// checkRead evaluates the HTTP preconditions of a read on a version, with
// S3's precedence: a true If-Match overrides If-Unmodified-Since, and a
// false If-None-Match overrides If-Modified-Since (RFC 9110, section 13.2.2).
// Dates compare at HTTP's one-second resolution.
func checkRead(c objstore.Conditions, etag string, modified time.Time) error {
	modified = modified.Truncate(time.Second)
	if c.IfMatch != "" {
		if !etagMatches(c.IfMatch, etag) {
			return fmt.Errorf("if-match %s, etag %q: %w", c.IfMatch, etag, objstore.ErrPreconditionFailed)
		}
	} else if !c.IfUnmodifiedSince.IsZero() && modified.After(c.IfUnmodifiedSince) {
		return fmt.Errorf("modified at %s, after %s: %w", modified, c.IfUnmodifiedSince, objstore.ErrPreconditionFailed)
	}
	if c.IfNoneMatch != "" {
		if etagMatches(c.IfNoneMatch, etag) {
			return fmt.Errorf("if-none-match %s, etag %q: %w", c.IfNoneMatch, etag, objstore.ErrNotModified)
		}
	} else if !c.IfModifiedSince.IsZero() && !modified.After(c.IfModifiedSince) {
		return fmt.Errorf("not modified since %s: %w", c.IfModifiedSince, objstore.ErrNotModified)
	}
	return nil
}

// etagMatches tells whether an If-Match / If-None-Match value (a list of
// entity tags, quoted or not, or "*") names etag.
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || unquote(t) == etag {
			return true
		}
	}
	return false
}

// unquote strips the quotes (and a weak W/ prefix) of an entity tag.
func unquote(t string) string {
	t = strings.TrimPrefix(t, "W/")
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		return t[1 : len(t)-1]
	}
	return t
}

// writeCond is the condition of a write on the key's current version.
type writeCond struct {
	IfMatch     string
	IfNoneMatch string
}

// validate rejects conditions S3 does not accept on writes: If-None-Match
// takes only "*".
func (w writeCond) validate() error {
	if w.IfNoneMatch != "" && strings.TrimSpace(w.IfNoneMatch) != "*" {
		return fmt.Errorf("if-none-match %q on a write (only * is supported): %w", w.IfNoneMatch, objstore.ErrNotImplemented)
	}
	return nil
}

// check evaluates the condition against the current version (nil or a
// delete marker when the key has no current object).
func (w writeCond) check(cur *versionRecord) error {
	live := cur != nil && !cur.DeleteMarker
	if w.IfNoneMatch != "" && live {
		return fmt.Errorf("if-none-match *: the object exists: %w", objstore.ErrPreconditionFailed)
	}
	if w.IfMatch == "" {
		return nil
	}
	if !live {
		return fmt.Errorf("if-match %s: %w", w.IfMatch, objstore.ErrNoSuchKey)
	}
	if !etagMatches(w.IfMatch, cur.ETag) {
		return fmt.Errorf("if-match %s, etag %q: %w", w.IfMatch, cur.ETag, objstore.ErrPreconditionFailed)
	}
	return nil
}
