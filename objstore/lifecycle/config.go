package lifecycle

import (
	"encoding/xml"
	"time"
)

// ConfigName is the bucket configuration document the rules are kept in.
const ConfigName = "lifecycle"

// MaxRules is how many rules one configuration may hold.
const MaxRules = 1000

// Rule statuses.
const (
	StatusEnabled  = "Enabled"
	StatusDisabled = "Disabled"
)

// Configuration is a bucket's LifecycleConfiguration.
type Configuration struct {
	XMLName xml.Name `xml:"LifecycleConfiguration"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Rules   []Rule   `xml:"Rule"`
}

// Rule is one lifecycle rule: which objects (Filter, or the legacy
// top-level Prefix) and what happens to them.
type Rule struct {
	ID     string  `xml:"ID,omitempty"`
	Status string  `xml:"Status"`
	Prefix *string `xml:"Prefix"`
	Filter *Filter `xml:"Filter"`

	Transitions                    []Transition                  `xml:"Transition"`
	Expiration                     *Expiration                   `xml:"Expiration"`
	NoncurrentVersionTransitions   []NoncurrentVersionTransition `xml:"NoncurrentVersionTransition"`
	NoncurrentVersionExpiration    *NoncurrentVersionExpiration  `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipartUpload *AbortIncompleteUpload        `xml:"AbortIncompleteMultipartUpload"`
}

// Filter selects the objects of a rule. At most one of its conditions is
// set, several go inside And; an empty filter selects every object.
type Filter struct {
	Prefix                *string `xml:"Prefix"`
	Tag                   *Tag    `xml:"Tag"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan"`
	And                   *And    `xml:"And"`
}

// And combines a prefix, tags and size bounds; an object must meet all.
type And struct {
	Prefix                *string `xml:"Prefix"`
	Tags                  []Tag   `xml:"Tag"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan"`
}

// Tag is a key and value an object's tags must contain.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// Transition moves current versions to StorageClass after Days or on Date.
type Transition struct {
	Days         *int   `xml:"Days"`
	Date         string `xml:"Date,omitempty"`
	StorageClass string `xml:"StorageClass"`
}

// Expiration expires current versions after Days or on Date, or
// (ExpiredObjectDeleteMarker) removes delete markers left with no
// versions behind them.
type Expiration struct {
	Days                      *int   `xml:"Days"`
	Date                      string `xml:"Date,omitempty"`
	ExpiredObjectDeleteMarker *bool  `xml:"ExpiredObjectDeleteMarker"`
}

// NoncurrentVersionTransition moves versions NoncurrentDays after they
// stopped being current, sparing the NewerNoncurrentVersions newest.
type NoncurrentVersionTransition struct {
	NoncurrentDays          *int   `xml:"NoncurrentDays"`
	NewerNoncurrentVersions *int   `xml:"NewerNoncurrentVersions"`
	StorageClass            string `xml:"StorageClass"`
}

// NoncurrentVersionExpiration deletes versions NoncurrentDays after they
// stopped being current, keeping the NewerNoncurrentVersions newest.
type NoncurrentVersionExpiration struct {
	NoncurrentDays          *int `xml:"NoncurrentDays"`
	NewerNoncurrentVersions *int `xml:"NewerNoncurrentVersions"`
}

// AbortIncompleteUpload aborts multipart uploads DaysAfterInitiation
// after they were started.
type AbortIncompleteUpload struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation"`
}

// enabled tells whether the rule is in force.
func (r *Rule) enabled() bool { return r.Status == StatusEnabled }

// parseDate reads a lifecycle Date: ISO 8601, as SDKs send it.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &time.ParseError{Layout: time.RFC3339, Value: s}
}
