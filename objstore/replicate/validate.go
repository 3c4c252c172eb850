package replicate

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/cairnfs/cairn/objstore"
)

// Limits of S3 on a replication configuration.
const (
	maxRules    = 1000
	maxIDLength = 255
)

// invalidRequest and invalidArgument are S3's errors with S3's message.
func invalidRequest(msg string) error {
	return &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: msg}
}

func invalidArgument(msg string) error {
	return &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: msg}
}

// Validate checks the configuration of the bucket source as S3 does.
func (c *Config) Validate(source string) error {
	if len(c.Rules) == 0 || len(c.Rules) > maxRules {
		return fmt.Errorf("%d rules (1 to %d): %w", len(c.Rules), maxRules, objstore.ErrMalformedXML)
	}
	ids, priorities := map[string]bool{}, map[int]bool{}
	v2 := c.Rules[0].filterV2()
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.filterV2() != v2 {
			return fmt.Errorf("rules with and without Filter: %w", objstore.ErrMalformedXML)
		}
		if err := r.validate(source); err != nil {
			return fmt.Errorf("rule %q: %w", r.ID, err)
		}
		if r.ID != "" && ids[r.ID] {
			return invalidArgument("Rule Id must be unique. Found duplicate rule Id: " + r.ID)
		}
		ids[r.ID] = true
		if r.Priority != nil {
			if priorities[*r.Priority] {
				return invalidArgument(fmt.Sprintf("Found duplicate priority %d. Rule priorities must be unique.", *r.Priority))
			}
			priorities[*r.Priority] = true
		}
	}
	return nil
}

// validate checks one rule.
func (r *Rule) validate(source string) error {
	if len(r.ID) > maxIDLength {
		return invalidArgument("ID length should not exceed allowed limit of 255")
	}
	if r.Status != Enabled && r.Status != Disabled {
		return fmt.Errorf("status %q: %w", r.Status, objstore.ErrMalformedXML)
	}
	if r.Prefix != nil && r.Filter != nil {
		return fmt.Errorf("both Prefix and Filter: %w", objstore.ErrMalformedXML)
	}
	if err := r.Filter.validate(); err != nil {
		return err
	}
	if err := r.validateV2(); err != nil {
		return err
	}
	for _, s := range []*StatusElem{r.DeleteMarkerReplication, r.ExistingObjectReplication} {
		if s != nil && s.Status != Enabled && s.Status != Disabled {
			return fmt.Errorf("status %q: %w", s.Status, objstore.ErrMalformedXML)
		}
	}
	return r.Destination.validate(source)
}

// validateV2 checks what S3's second schema requires of a rule.
func (r *Rule) validateV2() error {
	if !r.filterV2() {
		return nil
	}
	if r.Priority == nil {
		return invalidArgument("Priority must be specified for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.")
	}
	if r.DeleteMarkerReplication == nil {
		return invalidArgument("DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.")
	}
	if r.hasTagFilter() && r.DeleteMarkerReplication.Status == Enabled {
		return invalidRequest("Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more information.")
	}
	return nil
}

// validate checks that a filter names at most one condition and that its
// tags are well formed.
func (f *Filter) validate() error {
	if f == nil {
		return nil
	}
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("filter names more than one of Prefix, Tag, And: %w", objstore.ErrMalformedXML)
	}
	var tags []Tag
	if f.Tag != nil {
		tags = append(tags, *f.Tag)
	}
	if f.And != nil {
		tags = append(tags, f.And.Tags...)
	}
	return validateTags(tags)
}

// validateTags checks tag conditions: keys present, unique, in S3's bounds.
func validateTags(tags []Tag) error {
	var keys []string
	for _, t := range tags {
		if t.Key == "" || len(t.Key) > objstore.MaxTagKeyLength || len(t.Value) > objstore.MaxTagValueLength {
			return fmt.Errorf("tag %q: %w", t.Key, objstore.ErrInvalidTag)
		}
		if slices.Contains(keys, t.Key) {
			return invalidArgument("Duplicate Tag Keys are not allowed.")
		}
		keys = append(keys, t.Key)
	}
	return nil
}

// validate checks the destination: an ARN cairn can resolve, not the
// source itself, a storage class S3 knows.
func (d *Destination) validate(source string) error {
	if d == nil || d.Bucket == "" {
		return fmt.Errorf("rule without destination bucket: %w", objstore.ErrMalformedXML)
	}
	dst, err := ParseARN(d.Bucket)
	if err != nil {
		return err
	}
	if dst.Target == "" && dst.Bucket == source {
		return invalidRequest("Destination bucket cannot be the same as the source bucket.")
	}
	if d.StorageClass != "" && !slices.Contains(objstore.StorageClasses, objstore.StorageClass(d.StorageClass)) {
		return fmt.Errorf("destination storage class %q: %w", d.StorageClass, objstore.ErrInvalidStorageClass)
	}
	return nil
}
