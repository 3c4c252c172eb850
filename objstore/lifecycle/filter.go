package lifecycle

import (
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// matches tells whether the rule's filter selects an object with this
// key, size and tags.
func (r *Rule) matches(key string, size int64, tags objstore.Tags) bool {
	if r.Prefix != nil {
		return strings.HasPrefix(key, *r.Prefix)
	}
	f := r.Filter
	if f == nil {
		return true
	}
	if f.And != nil {
		return f.And.matches(key, size, tags)
	}
	return (f.Prefix == nil || strings.HasPrefix(key, *f.Prefix)) &&
		(f.Tag == nil || hasTag(tags, *f.Tag)) &&
		sizeWithin(size, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan)
}

func (a *And) matches(key string, size int64, tags objstore.Tags) bool {
	if a.Prefix != nil && !strings.HasPrefix(key, *a.Prefix) {
		return false
	}
	for _, t := range a.Tags {
		if !hasTag(tags, t) {
			return false
		}
	}
	return sizeWithin(size, a.ObjectSizeGreaterThan, a.ObjectSizeLessThan)
}

func hasTag(tags objstore.Tags, t Tag) bool {
	v, ok := tags[t.Key]
	return ok && v == t.Value
}

func sizeWithin(size int64, gt, lt *int64) bool {
	return (gt == nil || size > *gt) && (lt == nil || size < *lt)
}

// NeedsTags tells whether any enabled rule filters on tags, so that a
// scan must read the tags of each version.
func (c *Configuration) NeedsTags() bool {
	for i := range c.Rules {
		r := &c.Rules[i]
		if !r.enabled() || r.Filter == nil {
			continue
		}
		if r.Filter.Tag != nil || r.Filter.And != nil && len(r.Filter.And.Tags) > 0 {
			return true
		}
	}
	return false
}
