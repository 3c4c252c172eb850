package lifecycle

import (
	"time"
)

// maxIDLength bounds a rule ID, in bytes.
const maxIDLength = 255

// maxNewerNoncurrent bounds NewerNoncurrentVersions.
const maxNewerNoncurrent = 100

// Validate checks the configuration with S3's rules.
func (c *Configuration) Validate() error {
	switch {
	case len(c.Rules) == 0:
		return malformed("The XML you provided was not well-formed or did not validate against our published schema")
	case len(c.Rules) > MaxRules:
		return invalidRequest("The number of lifecycle rules must not exceed the allowed limit of %d rules", MaxRules)
	}
	ids := map[string]bool{}
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.ID != "" {
			if ids[r.ID] {
				return invalidArgument("Rule ID must be unique. Found same ID for more than one rule")
			}
			ids[r.ID] = true
		}
		if err := r.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (r *Rule) validate() error {
	if len(r.ID) > maxIDLength {
		return invalidArgument("ID length should not exceed allowed limit of %d", maxIDLength)
	}
	if r.Status != StatusEnabled && r.Status != StatusDisabled {
		return malformed("Status %q is neither Enabled nor Disabled", r.Status)
	}
	if err := r.validateFilter(); err != nil {
		return err
	}
	if r.Expiration == nil && r.NoncurrentVersionExpiration == nil && r.AbortIncompleteMultipartUpload == nil &&
		len(r.Transitions) == 0 && len(r.NoncurrentVersionTransitions) == 0 {
		return invalidRequest("At least one action needs to be specified in a rule")
	}
	for _, check := range []func() error{r.validateExpiration, r.validateTransitions, r.validateNoncurrent, r.validateAbort} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (r *Rule) validateFilter() error {
	switch {
	case r.Prefix != nil && r.Filter != nil:
		return malformed("A rule takes a Filter or a Prefix, not both")
	case r.Prefix == nil && r.Filter == nil:
		return malformed("A rule needs a Filter (or a Prefix)")
	case r.Filter == nil:
		return nil
	}
	f := r.Filter
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return malformed("Filter takes one condition; combine several with And")
	}
	if f.Tag != nil {
		if err := validateTag(*f.Tag); err != nil {
			return err
		}
	}
	if f.And != nil {
		return f.And.validate()
	}
	return validateSizes(f.ObjectSizeGreaterThan, f.ObjectSizeLessThan)
}

func (a *And) validate() error {
	seen := map[string]bool{}
	for _, t := range a.Tags {
		if err := validateTag(t); err != nil {
			return err
		}
		if seen[t.Key] {
			return invalidRequest("Duplicate Tag Keys are not allowed.")
		}
		seen[t.Key] = true
	}
	return validateSizes(a.ObjectSizeGreaterThan, a.ObjectSizeLessThan)
}

func validateTag(t Tag) error {
	switch {
	case t.Key == "" || len([]rune(t.Key)) > 128:
		return s3Error("InvalidTag", "The TagKey you have provided is invalid")
	case len([]rune(t.Value)) > 256:
		return s3Error("InvalidTag", "The TagValue you have provided is invalid")
	}
	return nil
}

func validateSizes(gt, lt *int64) error {
	switch {
	case gt != nil && *gt < 0, lt != nil && *lt <= 0:
		return invalidArgument("Object size filters must be positive")
	case gt != nil && lt != nil && *gt >= *lt:
		return invalidArgument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan")
	}
	return nil
}

// hasTagOrSizeFilter tells whether the rule filters on tags or sizes,
// which the delete-marker and upload actions cannot.
func (r *Rule) hasTagOrSizeFilter() bool {
	f := r.Filter
	if f == nil {
		return false
	}
	if f.Tag != nil || f.ObjectSizeGreaterThan != nil || f.ObjectSizeLessThan != nil {
		return true
	}
	return f.And != nil && (len(f.And.Tags) > 0 || f.And.ObjectSizeGreaterThan != nil || f.And.ObjectSizeLessThan != nil)
}

func (r *Rule) validateExpiration() error {
	e := r.Expiration
	if e == nil {
		return nil
	}
	marker := e.ExpiredObjectDeleteMarker != nil
	switch {
	case e.Days != nil && e.Date != "":
		return malformed("Expiration takes Days or Date, not both")
	case !marker && e.Days == nil && e.Date == "":
		return malformed("Expiration needs Days, Date or ExpiredObjectDeleteMarker")
	case marker && (e.Days != nil || e.Date != ""):
		return invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy")
	case marker && *e.ExpiredObjectDeleteMarker && r.hasTagOrSizeFilter():
		return invalidRequest("ExpiredObjectDeleteMarker cannot be specified with a Tag or object size filter")
	case e.Days != nil && *e.Days <= 0:
		return invalidArgument("'Days' for Expiration action must be a positive integer")
	}
	if e.Date != "" {
		if _, err := validDate(e.Date); err != nil {
			return err
		}
	}
	return nil
}

// validDate parses a Date, which S3 wants at midnight UTC.
func validDate(s string) (time.Time, error) {
	t, err := parseDate(s)
	if err != nil {
		return t, invalidArgument("Invalid date: %s", s)
	}
	if !t.Equal(t.Truncate(24 * time.Hour)) {
		return t, invalidArgument("'Date' must be at midnight GMT")
	}
	return t, nil
}

func (r *Rule) validateAbort() error {
	a := r.AbortIncompleteMultipartUpload
	switch {
	case a == nil:
		return nil
	case a.DaysAfterInitiation == nil:
		return malformed("AbortIncompleteMultipartUpload needs DaysAfterInitiation")
	case *a.DaysAfterInitiation <= 0:
		return invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
	case r.hasTagOrSizeFilter():
		return invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters")
	}
	return nil
}
