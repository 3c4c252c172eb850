package lock

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// ConfigName is the name of the bucket configuration document that holds a
// bucket's object-lock configuration. A bucket has object lock enabled
// exactly when it has one.
const ConfigName = "object-lock"

// Config is S3's ObjectLockConfiguration document.
type Config struct {
	XMLName xml.Name `xml:"ObjectLockConfiguration"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	// Enabled is "Enabled", the only value S3 knows.
	Enabled string `xml:"ObjectLockEnabled,omitempty"`
	Rule    *Rule  `xml:"Rule,omitempty"`
}

// Rule holds a bucket's default retention.
type Rule struct {
	DefaultRetention *DefaultRetention `xml:"DefaultRetention"`
}

// DefaultRetention is the retention every new version of the bucket gets
// unless its writer sets one: Mode for Days or Years (exactly one of them).
type DefaultRetention struct {
	Mode  string `xml:"Mode,omitempty"`
	Days  int    `xml:"Days,omitempty"`
	Years int    `xml:"Years,omitempty"`
}

// enabledValue is the value of ObjectLockEnabled.
const enabledValue = "Enabled"

// maxDays and maxYears bound a default retention as S3 does (100 years).
const (
	maxDays  = 36500
	maxYears = 100
)

// EnabledConfig is the configuration of a bucket created with object lock
// and no default retention.
func EnabledConfig() []byte {
	doc, _ := xml.Marshal(Config{Enabled: enabledValue})
	return doc
}

// ParseConfig decodes and validates a configuration document as
// PutObjectLockConfiguration takes it.
func ParseConfig(doc []byte) (*Config, error) {
	var c Config
	if err := xml.Unmarshal(doc, &c); err != nil {
		return nil, fmt.Errorf("object lock configuration: %v: %w", err, objstore.ErrMalformedXML)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks a configuration as S3 does: ObjectLockEnabled is
// "Enabled", and a rule has a mode and a positive number of Days or Years.
func (c *Config) Validate() error {
	if c.Enabled != enabledValue {
		return fmt.Errorf("ObjectLockEnabled %q: %w", c.Enabled, objstore.ErrMalformedXML)
	}
	if c.Rule == nil {
		return nil
	}
	return c.Rule.validate()
}

func (r *Rule) validate() error {
	d := r.DefaultRetention
	if d == nil {
		return fmt.Errorf("object lock rule without DefaultRetention: %w", objstore.ErrMalformedXML)
	}
	if !ValidMode(d.Mode) {
		return fmt.Errorf("default retention mode %q: %w", d.Mode, objstore.ErrMalformedXML)
	}
	if (d.Days != 0) == (d.Years != 0) {
		return fmt.Errorf("default retention needs Days or Years, not both: %w", objstore.ErrMalformedXML)
	}
	if d.Days < 0 || d.Years < 0 {
		return fmt.Errorf("default retention of %d days %d years: %w", d.Days, d.Years, ErrRetentionPeriod)
	}
	if d.Days > maxDays || d.Years > maxYears {
		return fmt.Errorf("default retention of %d days %d years: %w", d.Days, d.Years, ErrRetentionTooLong)
	}
	return nil
}

// Encode is the document as it is stored and returned.
func (c *Config) Encode() []byte {
	out := *c
	out.NS = ""
	doc, _ := xml.Marshal(out)
	return doc
}

// Default is the retention a version written at t gets from the stored
// configuration doc; the zero ObjectLock when doc has no default rule.
// A document that does not parse gives none.
func Default(doc string, t time.Time) objstore.ObjectLock {
	if doc == "" {
		return objstore.ObjectLock{}
	}
	var c Config
	if xml.Unmarshal([]byte(doc), &c) != nil || c.Rule == nil || c.Rule.DefaultRetention == nil {
		return objstore.ObjectLock{}
	}
	d := c.Rule.DefaultRetention
	until := t.AddDate(d.Years, 0, d.Days)
	return objstore.ObjectLock{Mode: d.Mode, RetainUntil: until.UTC()}
}

// ValidMode tells whether m is a retention mode.
func ValidMode(m string) bool {
	return m == objstore.LockGovernance || m == objstore.LockCompliance
}
