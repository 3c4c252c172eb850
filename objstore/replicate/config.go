package replicate

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// ConfigName is the name the replication configuration is kept under
// among the bucket's configuration documents.
const ConfigName = "replication"

// Status values of rules and their sub-settings.
const (
	Enabled  = "Enabled"
	Disabled = "Disabled"
)

// Replication statuses of versions (x-amz-replication-status).
const (
	StatusPending   = "PENDING"
	StatusCompleted = "COMPLETED"
	StatusFailed    = "FAILED"
	StatusReplica   = "REPLICA"
)

// Config is a bucket's ReplicationConfiguration as S3 defines it.
type Config struct {
	XMLName xml.Name `xml:"ReplicationConfiguration"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	// Role is the IAM role S3 would assume; cairn keeps and echoes it.
	Role  string `xml:"Role,omitempty"`
	Rules []Rule `xml:"Rule"`
}

// Rule is one replication rule.
type Rule struct {
	ID       string `xml:"ID,omitempty"`
	Priority *int   `xml:"Priority,omitempty"`
	Status   string `xml:"Status"`
	// Prefix is the filter of a rule in S3's first schema (no Filter).
	Prefix *string `xml:"Prefix,omitempty"`
	Filter *Filter `xml:"Filter,omitempty"`
	// SourceSelectionCriteria is accepted and echoed.
	SourceSelectionCriteria *Raw `xml:"SourceSelectionCriteria,omitempty"`
	// ExistingObjectReplication is accepted and echoed; existing objects
	// are replicated on request (RequestExisting).
	ExistingObjectReplication *StatusElem  `xml:"ExistingObjectReplication,omitempty"`
	Destination               *Destination `xml:"Destination"`
	DeleteMarkerReplication   *StatusElem  `xml:"DeleteMarkerReplication,omitempty"`
}

// Filter selects the keys a rule applies to: exactly one of a prefix, a
// tag, or the conjunction of a prefix and tags. An empty filter selects
// every key.
type Filter struct {
	Prefix *string `xml:"Prefix,omitempty"`
	Tag    *Tag    `xml:"Tag,omitempty"`
	And    *And    `xml:"And,omitempty"`
}

// And is the conjunction of a prefix and tags.
type And struct {
	Prefix string `xml:"Prefix,omitempty"`
	Tags   []Tag  `xml:"Tag"`
}

// Tag is one key=value condition.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// StatusElem is an element holding only a Status.
type StatusElem struct {
	Status string `xml:"Status"`
}

// Destination is where a rule's versions go.
type Destination struct {
	// Bucket is the destination's ARN: arn:aws:s3:::bucket on this
	// store, arn:cairn:s3:TARGET::bucket on a registered target.
	Bucket string `xml:"Bucket"`
	// Account is accepted and echoed.
	Account string `xml:"Account,omitempty"`
	// StorageClass, when set, overrides the source version's.
	StorageClass string `xml:"StorageClass,omitempty"`
	// The remaining settings are accepted and echoed.
	AccessControlTranslation *Raw `xml:"AccessControlTranslation,omitempty"`
	EncryptionConfiguration  *Raw `xml:"EncryptionConfiguration,omitempty"`
	ReplicationTime          *Raw `xml:"ReplicationTime,omitempty"`
	Metrics                  *Raw `xml:"Metrics,omitempty"`
}

// Raw is an element kept as it was written.
type Raw struct {
	Inner []byte `xml:",innerxml"`
}

// Parse decodes and validates a ReplicationConfiguration for the bucket
// source. Its errors are S3's: MalformedXML for a document that does not
// fit the schema, InvalidArgument / InvalidRequest for rules S3 refuses.
func Parse(doc []byte, source string) (*Config, error) {
	var c Config
	if err := xml.Unmarshal(doc, &c); err != nil {
		return nil, fmt.Errorf("decode replication configuration: %v: %w", err, objstore.ErrMalformedXML)
	}
	if err := c.Validate(source); err != nil {
		return nil, err
	}
	return &c, nil
}

// AssignIDs gives each rule without an ID one, as S3 does.
func (c *Config) AssignIDs() {
	taken := map[string]bool{}
	for _, r := range c.Rules {
		taken[r.ID] = true
	}
	n := 1
	for i := range c.Rules {
		if c.Rules[i].ID != "" {
			continue
		}
		for taken[fmt.Sprintf("rule-%d", n)] {
			n++
		}
		c.Rules[i].ID = fmt.Sprintf("rule-%d", n)
		taken[c.Rules[i].ID] = true
	}
}

// Marshal encodes the configuration as S3 returns it.
func (c *Config) Marshal() ([]byte, error) {
	out := *c
	out.NS = "http://s3.amazonaws.com/doc/2006-03-01/"
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(out); err != nil {
		return nil, fmt.Errorf("encode replication configuration: %w", err)
	}
	return b.Bytes(), nil
}

// filterV2 tells whether the rule uses S3's second schema (a Filter).
func (r *Rule) filterV2() bool { return r.Filter != nil }

// hasTagFilter tells whether the rule's filter names a tag.
func (r *Rule) hasTagFilter() bool {
	f := r.Filter
	return f != nil && (f.Tag != nil || f.And != nil && len(f.And.Tags) > 0)
}

// ReplicatesDeleteMarkers tells whether the rule copies delete markers:
// as DeleteMarkerReplication says, and by default under the first schema
// (as S3 does).
func (r *Rule) ReplicatesDeleteMarkers() bool {
	if r.DeleteMarkerReplication != nil {
		return r.DeleteMarkerReplication.Status == Enabled
	}
	return !r.filterV2()
}
