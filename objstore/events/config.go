package events

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// ConfigName is the name the notification configuration is kept under
// among a bucket's configuration documents.
const ConfigName = "notification"

// Config is a bucket's notification configuration, in S3's XML.
type Config struct {
	XMLName  xml.Name       `xml:"NotificationConfiguration"`
	NS       string         `xml:"xmlns,attr"`
	Topics   []TargetConfig `xml:"TopicConfiguration"`
	Queues   []TargetConfig `xml:"QueueConfiguration"`
	Lambdas  []TargetConfig `xml:"CloudFunctionConfiguration"`
	EventBus *struct{}      `xml:"EventBridgeConfiguration"`
}

// TargetConfig is one Topic, Queue or CloudFunction configuration: which
// events of which keys go to which target. Exactly one of Topic, Queue
// and CloudFunction is set, by the element it came in.
type TargetConfig struct {
	ID            string   `xml:"Id,omitempty"`
	Topic         string   `xml:"Topic,omitempty"`
	Queue         string   `xml:"Queue,omitempty"`
	CloudFunction string   `xml:"CloudFunction,omitempty"`
	Events        []string `xml:"Event"`
	Filter        *Filter  `xml:"Filter,omitempty"`
}

// Filter selects keys by prefix and suffix.
type Filter struct {
	S3Key struct {
		Rules []FilterRule `xml:"FilterRule"`
	} `xml:"S3Key"`
}

// FilterRule is one key filter: Name "prefix" or "suffix".
type FilterRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// Target returns the ARN the configuration sends to.
func (t TargetConfig) Target() string {
	return t.Topic + t.Queue + t.CloudFunction
}

// keyFilter returns the configuration's prefix and suffix.
func (t TargetConfig) keyFilter() (prefix, suffix string) {
	if t.Filter == nil {
		return "", ""
	}
	for _, r := range t.Filter.S3Key.Rules {
		switch strings.ToLower(r.Name) {
		case "prefix":
			prefix = r.Value
		case "suffix":
			suffix = r.Value
		}
	}
	return prefix, suffix
}

// Matches tells whether the configuration covers the event.
func (t TargetConfig) Matches(e Event) bool {
	prefix, suffix := t.keyFilter()
	if !strings.HasPrefix(e.Key, prefix) || !strings.HasSuffix(e.Key, suffix) {
		return false
	}
	for _, p := range t.Events {
		if eventMatches(p, e.Name) {
			return true
		}
	}
	return false
}

// All returns every target configuration.
func (c *Config) All() []TargetConfig {
	all := make([]TargetConfig, 0, len(c.Topics)+len(c.Queues)+len(c.Lambdas))
	all = append(all, c.Topics...)
	all = append(all, c.Queues...)
	return append(all, c.Lambdas...)
}

// Empty tells whether the configuration sends nothing anywhere.
func (c *Config) Empty() bool {
	return len(c.Topics)+len(c.Queues)+len(c.Lambdas) == 0 && c.EventBus == nil
}

// invalid is S3's InvalidArgument with its own message.
func invalid(format string, args ...any) error {
	return &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// ParseConfig decodes and validates a notification configuration (see
// Validate).
func ParseConfig(doc []byte, check func(arn string) error) (*Config, error) {
	var c Config
	if err := xml.Unmarshal(doc, &c); err != nil {
		return nil, fmt.Errorf("decode notification configuration: %v: %w", err, objstore.ErrMalformedXML)
	}
	if err := c.Validate(check); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the configuration as S3 does and gives configurations
// without an Id a generated one. check, when not nil, validates each
// target ARN.
func (c *Config) Validate(check func(arn string) error) error {
	for _, list := range [][]TargetConfig{c.Topics, c.Queues, c.Lambdas} {
		for i := range list {
			if err := validateTarget(&list[i], check); err != nil {
				return err
			}
		}
	}
	return checkOverlaps(c.All())
}

// validateTarget checks one configuration and names it when unnamed.
func validateTarget(t *TargetConfig, check func(arn string) error) error {
	if t.ID == "" {
		t.ID = newConfigID()
	}
	if t.Target() == "" {
		return fmt.Errorf("configuration %q names no target: %w", t.ID, objstore.ErrMalformedXML)
	}
	if len(t.Events) == 0 {
		return fmt.Errorf("configuration %q names no event: %w", t.ID, objstore.ErrMalformedXML)
	}
	for _, e := range t.Events {
		if !KnownEvent(e) {
			return invalid("The event is not supported for notifications: %s", e)
		}
	}
	if err := validateFilter(t.Filter); err != nil {
		return err
	}
	if check != nil {
		if err := check(t.Target()); err != nil {
			return invalid("Unable to validate the following destination configurations: %s: %v", t.Target(), err)
		}
	}
	return nil
}

// validateFilter allows at most one prefix and one suffix rule.
func validateFilter(f *Filter) error {
	if f == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, r := range f.S3Key.Rules {
		name := strings.ToLower(r.Name)
		if name != "prefix" && name != "suffix" {
			return invalid("filter rule name must be either prefix or suffix")
		}
		if seen[name] {
			return invalid("Cannot specify more than one %s rule in a filter.", name)
		}
		seen[name] = true
	}
	return nil
}

// checkOverlaps refuses two configurations that could both take one
// event: S3 requires every event of a key to have one destination.
func checkOverlaps(all []TargetConfig) error {
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if overlap(all[i], all[j]) {
				return invalid("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.")
			}
		}
	}
	return nil
}

// overlap tells whether a key and an event exist that both a and b take.
func overlap(a, b TargetConfig) bool {
	ap, as := a.keyFilter()
	bp, bs := b.keyFilter()
	if !strings.HasPrefix(ap, bp) && !strings.HasPrefix(bp, ap) {
		return false
	}
	if !strings.HasSuffix(as, bs) && !strings.HasSuffix(bs, as) {
		return false
	}
	for _, ea := range a.Events {
		for _, eb := range b.Events {
			if eventsOverlap(ea, eb) {
				return true
			}
		}
	}
	return false
}

// newConfigID names a configuration sent without an Id, as S3 does.
func newConfigID() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawStdEncoding.EncodeToString(b[:])
}

// Marshal encodes the configuration as S3's XML.
func (c *Config) Marshal() ([]byte, error) {
	c.NS = "http://s3.amazonaws.com/doc/2006-03-01/"
	out, err := xml.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode notification configuration: %w", err)
	}
	return out, nil
}
