package lifecycle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// doc wraps rules in a LifecycleConfiguration.
func doc(rules ...string) string {
	return `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + strings.Join(rules, "") + `</LifecycleConfiguration>`
}

// rule is a rule with an ID, an empty filter and the given actions.
func rule(id, body string) string {
	return `<Rule><ID>` + id + `</ID><Status>Enabled</Status><Filter></Filter>` + body + `</Rule>`
}

func TestParseAcceptsS3Documents(t *testing.T) {
	good := []string{
		doc(rule("tiers", `<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
			<Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition>
			<Transition><Days>365</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>
			<Expiration><Days>2555</Days></Expiration>`)),
		doc(`<Rule><ID>legacy</ID><Prefix>logs/</Prefix><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`),
		doc(`<Rule><Status>Enabled</Status><Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>`),
		doc(rule("versions", `<NoncurrentVersionTransition><NoncurrentDays>7</NoncurrentDays><StorageClass>GLACIER_IR</StorageClass></NoncurrentVersionTransition>
			<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>
			<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>
			<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)),
		doc(rule("glacier-now", `<Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>`)),
	}
	for i, d := range good {
		c, err := Parse([]byte(d))
		if err != nil {
			t.Errorf("document %d: %v", i, err)
			continue
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(out); err != nil {
			t.Errorf("document %d does not parse back: %v\n%s", i, err, out)
		}
	}
}

func TestParseRejectsWithS3Errors(t *testing.T) {
	exp := `<Expiration><Days>1</Days></Expiration>`
	many := make([]string, MaxRules+1)
	for i := range many {
		many[i] = rule(fmt.Sprint(i), exp)
	}
	cases := []struct {
		name, doc string
		want      *objstore.Error
	}{
		{"not XML", `<LifecycleConfiguration><Rule>`, objstore.ErrMalformedXML},
		{"no rules", doc(), objstore.ErrMalformedXML},
		{"over 1000 rules", doc(many...), objstore.ErrInvalidRequest},
		{"duplicate IDs", doc(rule("a", exp), rule("a", exp)), objstore.ErrInvalidArgument},
		{"long ID", doc(rule(strings.Repeat("x", 256), exp)), objstore.ErrInvalidArgument},
		{"bad status", doc(`<Rule><Status>On</Status><Filter/>` + exp + `</Rule>`), objstore.ErrMalformedXML},
		{"filter and prefix", doc(`<Rule><Status>Enabled</Status><Prefix>a</Prefix><Filter/>` + exp + `</Rule>`), objstore.ErrMalformedXML},
		{"no filter", doc(`<Rule><Status>Enabled</Status>` + exp + `</Rule>`), objstore.ErrMalformedXML},
		{"two conditions without And", doc(`<Rule><Status>Enabled</Status><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>` + exp + `</Rule>`), objstore.ErrMalformedXML},
		{"duplicate tag keys", doc(`<Rule><Status>Enabled</Status><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>` + exp + `</Rule>`), objstore.ErrInvalidRequest},
		{"size bounds crossed", doc(`<Rule><Status>Enabled</Status><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>5</ObjectSizeLessThan></And></Filter>` + exp + `</Rule>`), objstore.ErrInvalidArgument},
		{"no action", doc(rule("a", "")), objstore.ErrInvalidRequest},
		{"expiration days zero", doc(rule("a", `<Expiration><Days>0</Days></Expiration>`)), objstore.ErrInvalidArgument},
		{"expiration days and date", doc(rule("a", `<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>`)), objstore.ErrMalformedXML},
		{"date not midnight", doc(rule("a", `<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>`)), objstore.ErrInvalidArgument},
		{"marker with days", doc(rule("a", `<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`)), objstore.ErrInvalidRequest},
		{"IA before 30 days", doc(rule("a", `<Transition><Days>29</Days><StorageClass>STANDARD_IA</StorageClass></Transition>`)), objstore.ErrInvalidArgument},
		{"one-zone IA before 30 days", doc(rule("a", `<Transition><Days>1</Days><StorageClass>ONEZONE_IA</StorageClass></Transition>`)), objstore.ErrInvalidArgument},
		{"transition to STANDARD", doc(rule("a", `<Transition><Days>40</Days><StorageClass>STANDARD</StorageClass></Transition>`)), objstore.ErrMalformedXML},
		{"colder class earlier", doc(rule("a", `<Transition><Days>90</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>`)), objstore.ErrInvalidArgument},
		{"same class twice", doc(rule("a", `<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>`)), objstore.ErrInvalidRequest},
		{"days and dates mixed", doc(rule("a", `<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition>`)), objstore.ErrInvalidRequest},
		{"expiration before transition", doc(rule("a", `<Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>30</Days></Expiration>`)), objstore.ErrInvalidArgument},
		{"noncurrent IA before 30 days", doc(rule("a", `<NoncurrentVersionTransition><NoncurrentDays>7</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition>`)), objstore.ErrInvalidArgument},
		{"noncurrent expiration zero", doc(rule("a", `<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>`)), objstore.ErrInvalidArgument},
		{"newer versions over 100", doc(rule("a", `<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>`)), objstore.ErrInvalidArgument},
		{"noncurrent expiration before transition", doc(rule("a", `<NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>`)), objstore.ErrInvalidArgument},
		{"abort days zero", doc(rule("a", `<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)), objstore.ErrInvalidArgument},
		{"abort with tag filter", doc(`<Rule><Status>Enabled</Status><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>`), objstore.ErrInvalidRequest},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.doc))
		e := objstore.AsError(err)
		if err == nil || e.Code != c.want.Code || e.Status != c.want.Status {
			t.Errorf("%s: error %v, want %s", c.name, err, c.want.Code)
		}
	}
}
