package events

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// wrapConfig wraps target configurations in the document S3 takes.
func wrapConfig(inner string) []byte {
	return []byte(`<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + inner + `</NotificationConfiguration>`)
}

func queueConfig(id, events, prefix, suffix string) string {
	var b strings.Builder
	b.WriteString("<QueueConfiguration>")
	if id != "" {
		b.WriteString("<Id>" + id + "</Id>")
	}
	b.WriteString("<Queue>arn:cairn:webhook::hook</Queue>")
	for _, e := range strings.Split(events, ",") {
		b.WriteString("<Event>" + e + "</Event>")
	}
	if prefix != "" || suffix != "" {
		b.WriteString("<Filter><S3Key>")
		if prefix != "" {
			b.WriteString("<FilterRule><Name>prefix</Name><Value>" + prefix + "</Value></FilterRule>")
		}
		if suffix != "" {
			b.WriteString("<FilterRule><Name>Suffix</Name><Value>" + suffix + "</Value></FilterRule>")
		}
		b.WriteString("</S3Key></Filter>")
	}
	b.WriteString("</QueueConfiguration>")
	return b.String()
}

func TestConfigRoundTrip(t *testing.T) {
	doc := wrapConfig(queueConfig("images", "s3:ObjectCreated:*", "img/", ".jpg") +
		`<TopicConfiguration><Topic>arn:cairn:webhook::t</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>` +
		`<CloudFunctionConfiguration><Id>fn</Id><CloudFunction>arn:cairn:webhook::f</CloudFunction><Event>s3:ObjectRestore:Completed</Event></CloudFunctionConfiguration>`)
	c, err := ParseConfig(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Topics) != 1 || c.Topics[0].ID == "" {
		t.Errorf("a configuration without Id gets one: %+v", c.Topics)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseConfig(out, nil)
	if err != nil {
		t.Fatalf("parse %s: %v", out, err)
	}
	if again.Topics[0].ID != c.Topics[0].ID || again.Queues[0].Target() != "arn:cairn:webhook::hook" || again.Lambdas[0].Target() != "arn:cairn:webhook::f" {
		t.Errorf("round trip lost something: %s", out)
	}
	if !strings.Contains(string(out), "<CloudFunctionConfiguration>") || !strings.Contains(string(out), `<Name>Suffix</Name>`) {
		t.Errorf("marshalled form is not S3's: %s", out)
	}
}

func TestConfigRejectsAsS3(t *testing.T) {
	for name, tc := range map[string]struct {
		doc  []byte
		code string
	}{
		"unknown event":     {wrapConfig(queueConfig("a", "s3:ObjectCreated:Bogus", "", "")), "InvalidArgument"},
		"no event":          {wrapConfig(`<QueueConfiguration><Queue>arn:cairn:webhook::x</Queue></QueueConfiguration>`), "MalformedXML"},
		"two prefix rules":  {wrapConfig(`<QueueConfiguration><Queue>arn:cairn:webhook::x</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>a</Value></FilterRule><FilterRule><Name>prefix</Name><Value>b</Value></FilterRule></S3Key></Filter></QueueConfiguration>`), "InvalidArgument"},
		"bad rule name":     {wrapConfig(`<QueueConfiguration><Queue>arn:cairn:webhook::x</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>middle</Name><Value>a</Value></FilterRule></S3Key></Filter></QueueConfiguration>`), "InvalidArgument"},
		"same prefix":       {wrapConfig(queueConfig("a", "s3:ObjectCreated:*", "img/", "") + queueConfig("b", "s3:ObjectCreated:Put", "img/", "")), "InvalidArgument"},
		"nested prefixes":   {wrapConfig(queueConfig("a", "s3:ObjectCreated:Put", "img/", ".jpg") + queueConfig("b", "s3:ObjectCreated:Put", "img/2026/", ".jpg")), "InvalidArgument"},
		"no filter overlap": {wrapConfig(queueConfig("a", "s3:ObjectRemoved:*", "", "") + queueConfig("b", "s3:ObjectRemoved:Delete", "x/", "")), "InvalidArgument"},
		"not xml":           {[]byte("<NotificationConfiguration><"), "MalformedXML"},
	} {
		_, err := ParseConfig(tc.doc, nil)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if got := objstore.AsError(err).Code; got != tc.code {
			t.Errorf("%s: %v (code %s), want %s", name, err, got, tc.code)
		}
	}
}

func TestConfigAllowsWhatS3Allows(t *testing.T) {
	for name, doc := range map[string][]byte{
		"different events":   wrapConfig(queueConfig("a", "s3:ObjectCreated:*", "", "") + queueConfig("b", "s3:ObjectRemoved:*", "", "")),
		"disjoint prefixes":  wrapConfig(queueConfig("a", "s3:ObjectCreated:*", "img/", "") + queueConfig("b", "s3:ObjectCreated:*", "doc/", "")),
		"disjoint suffixes":  wrapConfig(queueConfig("a", "s3:ObjectCreated:*", "img/", ".jpg") + queueConfig("b", "s3:ObjectCreated:*", "img/", ".png")),
		"put vs copy":        wrapConfig(queueConfig("a", "s3:ObjectCreated:Put", "", "") + queueConfig("b", "s3:ObjectCreated:Copy", "", "")),
		"empty removes all":  wrapConfig(""),
		"every family named": wrapConfig(queueConfig("a", "s3:ObjectRestore:*,s3:Replication:*,s3:LifecycleExpiration:*,s3:ObjectRemoved:DeleteMarkerCreated", "", "")),
	} {
		if _, err := ParseConfig(doc, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestConfigChecksTargets(t *testing.T) {
	doc := wrapConfig(queueConfig("a", "s3:ObjectCreated:*", "", ""))
	_, err := ParseConfig(doc, func(arn string) error { return errors.New("not registered") })
	if e := objstore.AsError(err); e.Code != "InvalidArgument" || !strings.Contains(e.Message, "arn:cairn:webhook::hook") {
		t.Errorf("unknown target: %v, want InvalidArgument naming the ARN", err)
	}
}

func TestConfigMatches(t *testing.T) {
	c, err := ParseConfig(wrapConfig(queueConfig("a", "s3:ObjectCreated:*,s3:ObjectRemoved:DeleteMarkerCreated", "img/", ".jpg")), nil)
	if err != nil {
		t.Fatal(err)
	}
	tc := c.Queues[0]
	for _, m := range []struct {
		name, key string
		want      bool
	}{
		{ObjectCreatedPut, "img/a.jpg", true},
		{ObjectCreatedCompleteMultipartUpload, "img/sub/b.jpg", true},
		{ObjectRemovedDeleteMarkerCreated, "img/a.jpg", true},
		{ObjectRemovedDelete, "img/a.jpg", false},
		{ObjectCreatedPut, "img/a.png", false},
		{ObjectCreatedPut, "doc/a.jpg", false},
	} {
		if got := tc.Matches(Event{Name: m.name, Key: m.key}); got != m.want {
			t.Errorf("%s %s: match %v, want %v", m.name, m.key, got, m.want)
		}
	}
}
