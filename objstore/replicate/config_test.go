package replicate

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

const validV2 = `<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::123456789012:role/replication</Role>
  <Rule>
    <ID>docs</ID><Priority>2</Priority><Status>Enabled</Status>
    <Filter><Prefix>docs/</Prefix></Filter>
    <Destination><Bucket>arn:aws:s3:::backup</Bucket><StorageClass>STANDARD_IA</StorageClass>
      <Account>123456789012</Account><AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation></Destination>
    <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
  </Rule>
  <Rule>
    <ID>hot</ID><Priority>5</Priority><Status>Enabled</Status>
    <Filter><And><Prefix>docs/</Prefix><Tag><Key>tier</Key><Value>hot</Value></Tag></And></Filter>
    <Destination><Bucket>arn:cairn:s3:offsite::far</Bucket></Destination>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>
    <SourceSelectionCriteria><ReplicaModifications><Status>Enabled</Status></ReplicaModifications></SourceSelectionCriteria>
  </Rule>
</ReplicationConfiguration>`

func TestParseMatchesByFilterAndPriority(t *testing.T) {
	c, err := Parse([]byte(validV2), "src")
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Match("docs/a", objstore.Tags{"tier": "hot"}); r == nil || r.ID != "hot" {
		t.Errorf("hot doc: rule %+v, want hot (priority 5 beats 2)", r)
	}
	if r := c.Match("docs/a", nil); r == nil || r.ID != "docs" {
		t.Errorf("untagged doc: rule %+v, want docs", r)
	}
	if r := c.Match("img/a", objstore.Tags{"tier": "hot"}); r != nil {
		t.Errorf("img/a matched %s", r.ID)
	}
	if r := c.DeleteMarkerRule("docs/a"); r == nil || r.ID != "docs" {
		t.Errorf("delete marker rule = %+v, want docs (the tag rule cannot replicate markers)", r)
	}
	dst, err := ParseARN(c.Rules[1].Destination.Bucket)
	if err != nil || dst.Target != "offsite" || dst.Bucket != "far" {
		t.Errorf("ParseARN = %+v, %v", dst, err)
	}
}

func TestMarshalRoundTrips(t *testing.T) {
	c, err := Parse([]byte(validV2), "src")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<Owner>Destination</Owner>", "<ReplicaModifications>", "<Priority>5</Priority>", "arn:cairn:s3:offsite::far"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("marshalled document lacks %s:\n%s", want, doc)
		}
	}
	c2, err := Parse(doc, "src")
	if err != nil || len(c2.Rules) != 2 || c2.Rules[1].Filter.And.Tags[0].Value != "hot" {
		t.Fatalf("re-parse: %+v, %v", c2, err)
	}
}

func TestLegacyPrefixRuleReplicatesDeleteMarkers(t *testing.T) {
	doc := `<ReplicationConfiguration><Role>r</Role><Rule><Status>Enabled</Status><Prefix>logs/</Prefix>
	<Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination></Rule></ReplicationConfiguration>`
	c, err := Parse([]byte(doc), "src")
	if err != nil {
		t.Fatal(err)
	}
	if c.Match("logs/1", nil) == nil || c.Match("other", nil) != nil {
		t.Error("legacy prefix does not select by prefix")
	}
	if c.DeleteMarkerRule("logs/1") == nil {
		t.Error("a rule of the first schema replicates delete markers, as S3's does")
	}
}

func TestParseRefusesWhatS3Refuses(t *testing.T) {
	rule := func(inner string) string {
		return `<ReplicationConfiguration><Role>r</Role>` + inner + `</ReplicationConfiguration>`
	}
	dst := `<Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>`
	dmr := `<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>`
	cases := []struct {
		name, doc, code, msg string
	}{
		{"not xml", "<Replication", "MalformedXML", ""},
		{"no rules", rule(""), "MalformedXML", ""},
		{"bad status", rule(`<Rule><Status>On</Status>` + dst + `</Rule>`), "MalformedXML", ""},
		{"no destination", rule(`<Rule><Status>Enabled</Status><Prefix></Prefix></Rule>`), "MalformedXML", ""},
		{"prefix and filter", rule(`<Rule><Priority>1</Priority><Status>Enabled</Status><Prefix>a</Prefix><Filter/>` + dst + dmr + `</Rule>`), "MalformedXML", ""},
		{"two filter conditions", rule(`<Rule><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>` + dst + dmr + `</Rule>`), "MalformedXML", ""},
		{"v2 without priority", rule(`<Rule><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule>`), "InvalidArgument", "Priority must be specified"},
		{"v2 without delete marker setting", rule(`<Rule><Priority>1</Priority><Status>Enabled</Status><Filter/>` + dst + `</Rule>`), "InvalidArgument", "DeleteMarkerReplication must be specified"},
		{"tag filter with delete markers", rule(`<Rule><Priority>1</Priority><Status>Enabled</Status><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>` + dst + `<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule>`), "InvalidRequest", "Delete marker replication is not supported"},
		{"duplicate priority", rule(`<Rule><ID>a</ID><Priority>1</Priority><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule><Rule><ID>b</ID><Priority>1</Priority><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule>`), "InvalidArgument", "duplicate priority"},
		{"duplicate id", rule(`<Rule><ID>a</ID><Priority>1</Priority><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule><Rule><ID>a</ID><Priority>2</Priority><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule>`), "InvalidArgument", "Rule Id must be unique"},
		{"long id", rule(`<Rule><ID>` + strings.Repeat("x", 256) + `</ID><Status>Enabled</Status><Prefix/>` + dst + `</Rule>`), "InvalidArgument", "255"},
		{"bad arn", rule(`<Rule><Status>Enabled</Status><Prefix/><Destination><Bucket>dst</Bucket></Destination></Rule>`), "InvalidArgument", "Invalid ARN"},
		{"same bucket", rule(`<Rule><Status>Enabled</Status><Prefix/><Destination><Bucket>arn:aws:s3:::src</Bucket></Destination></Rule>`), "InvalidRequest", "cannot be the same"},
		{"bad storage class", rule(`<Rule><Status>Enabled</Status><Prefix/><Destination><Bucket>arn:aws:s3:::dst</Bucket><StorageClass>COLD</StorageClass></Destination></Rule>`), "InvalidStorageClass", ""},
		{"duplicate tag", rule(`<Rule><Priority>1</Priority><Status>Enabled</Status><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>` + dst + dmr + `</Rule>`), "InvalidArgument", "Duplicate Tag Keys"},
		{"mixed schemas", rule(`<Rule><ID>a</ID><Status>Enabled</Status><Prefix/>` + dst + `</Rule><Rule><ID>b</ID><Priority>1</Priority><Status>Enabled</Status><Filter/>` + dst + dmr + `</Rule>`), "MalformedXML", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), "src")
			var e *objstore.Error
			if !errors.As(err, &e) || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("Parse: %v, want %s %q", err, tc.code, tc.msg)
			}
		})
	}
}

func TestParseARN(t *testing.T) {
	for arn, want := range map[string]Target{
		"arn:aws:s3:::photos":            {Bucket: "photos"},
		"arn:cairn:s3:backup-1::photos":  {Target: "backup-1", Bucket: "photos"},
		"arn:cairn:s3:eu.site_2::photos": {Target: "eu.site_2", Bucket: "photos"},
	} {
		got, err := ParseARN(arn)
		if err != nil || got != want || got.String() != arn {
			t.Errorf("ParseARN(%q) = %+v (%s), %v", arn, got, got, err)
		}
	}
	for _, arn := range []string{"photos", "arn:aws:s3:::", "arn:aws:s3:us-east-1::photos", "arn:aws:s3:::a/b", "arn:cairn:s3:::photos", "arn:cairn:s3:bad name::x", "arn:aws:ec2:::x", "arn:gcp:s3:::x"} {
		if _, err := ParseARN(arn); err == nil {
			t.Errorf("ParseARN(%q) accepted", arn)
		}
	}
}

func TestAssignIDsNamesRulesWithout(t *testing.T) {
	c := &Config{Rules: []Rule{{}, {ID: "rule-1"}, {}}}
	c.AssignIDs()
	if c.Rules[0].ID != "rule-2" || c.Rules[1].ID != "rule-1" || c.Rules[2].ID != "rule-3" {
		t.Errorf("IDs = %q %q %q", c.Rules[0].ID, c.Rules[1].ID, c.Rules[2].ID)
	}
}
