package replicate

import (
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// Match returns the enabled rule that applies to a version of key with
// the given tags: of those whose filter selects it, the one of highest
// priority (the first among equals). Nil when none applies.
func (c *Config) Match(key string, tags objstore.Tags) *Rule {
	var best *Rule
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.Status != Enabled || !r.selects(key, tags) {
			continue
		}
		if best == nil || r.priority() > best.priority() {
			best = r
		}
	}
	return best
}

// MayMatch tells whether some enabled rule could select key whatever its
// tags are.
func (c *Config) MayMatch(key string) bool {
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.Status == Enabled && strings.HasPrefix(key, r.keyPrefix()) {
			return true
		}
	}
	return false
}

func (r *Rule) priority() int {
	if r.Priority == nil {
		return 0
	}
	return *r.Priority
}

// keyPrefix is the prefix the rule's filter requires ("" for none).
func (r *Rule) keyPrefix() string {
	switch {
	case r.Prefix != nil:
		return *r.Prefix
	case r.Filter == nil:
		return ""
	case r.Filter.Prefix != nil:
		return *r.Filter.Prefix
	case r.Filter.And != nil:
		return r.Filter.And.Prefix
	}
	return ""
}

// selects tells whether the rule's filter selects key with tags.
func (r *Rule) selects(key string, tags objstore.Tags) bool {
	if !strings.HasPrefix(key, r.keyPrefix()) {
		return false
	}
	if r.Filter == nil {
		return true
	}
	var want []Tag
	if r.Filter.Tag != nil {
		want = append(want, *r.Filter.Tag)
	}
	if r.Filter.And != nil {
		want = append(want, r.Filter.And.Tags...)
	}
	for _, t := range want {
		if v, ok := tags[t.Key]; !ok || v != t.Value {
			return false
		}
	}
	return true
}

// DeleteMarkerRule returns the enabled rule that replicates a delete
// marker of key, if any: of the rules whose prefix selects key and that
// replicate delete markers, the one of highest priority.
func (c *Config) DeleteMarkerRule(key string) *Rule {
	var best *Rule
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.Status != Enabled || r.hasTagFilter() || !strings.HasPrefix(key, r.keyPrefix()) {
			continue
		}
		if best == nil || r.priority() > best.priority() {
			best = r
		}
	}
	if best == nil || !best.ReplicatesDeleteMarkers() {
		return nil
	}
	return best
}
