package lifecycle

import (
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func mustParse(t *testing.T, d string) *Configuration {
	t.Helper()
	c, err := Parse([]byte(d))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEvaluate checks which action the rules take on which version at
// which time, with a one-second lifecycle day.
func TestEvaluate(t *testing.T) {
	const day = time.Second
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := mustParse(t, doc(
		`<Rule><ID>logs</ID><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter>
			<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
			<Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>
			<Expiration><Days>90</Days></Expiration></Rule>`,
		`<Rule><ID>tagged</ID><Status>Enabled</Status><Filter><And><Tag><Key>tmp</Key><Value>yes</Value></Tag><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>
			<Expiration><Days>1</Days></Expiration></Rule>`,
		`<Rule><ID>off</ID><Status>Disabled</Status><Filter/><Expiration><Days>1</Days></Expiration></Rule>`,
		`<Rule><ID>versions</ID><Status>Enabled</Status><Filter><Prefix>v/</Prefix></Filter>
			<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>
			<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>`,
		`<Rule><ID>nt</ID><Status>Enabled</Status><Filter><Prefix>nt/</Prefix></Filter>
			<NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition></Rule>`,
		`<Rule><ID>dated</ID><Status>Enabled</Status><Filter><Prefix>d/</Prefix></Filter>
			<Transition><Date>2030-01-10T00:00:00Z</Date><StorageClass>GLACIER_IR</StorageClass></Transition></Rule>`,
	))
	at := func(days float64) time.Time { return t0.Add(time.Duration(days * float64(day))) }
	cases := []struct {
		name string
		v    Version
		now  time.Time
		want Action
	}{
		{"young log kept", Version{Key: "logs/a", IsLatest: true, LastModified: t0}, at(29), Action{}},
		{"log to IA at 30 days", Version{Key: "logs/a", IsLatest: true, LastModified: t0, StorageClass: "STANDARD"}, at(30), Action{ChangeClass, "STANDARD_IA", "logs"}},
		{"log to GLACIER at 60 days, skipping IA", Version{Key: "logs/a", IsLatest: true, LastModified: t0, StorageClass: "STANDARD"}, at(61), Action{ChangeClass, "GLACIER", "logs"}},
		{"GLACIER log not moved back", Version{Key: "logs/a", IsLatest: true, LastModified: t0, StorageClass: "DEEP_ARCHIVE"}, at(61), Action{}},
		{"log expired at 90 days", Version{Key: "logs/a", IsLatest: true, LastModified: t0, StorageClass: "GLACIER"}, at(90), Action{ExpireCurrent, "", "logs"}},
		{"other prefix kept", Version{Key: "data/a", IsLatest: true, LastModified: t0}, at(1000), Action{}},
		{"tagged small expires", Version{Key: "x", IsLatest: true, LastModified: t0, Size: 10, Tags: objstore.Tags{"tmp": "yes"}}, at(1), Action{ExpireCurrent, "", "tagged"}},
		{"tagged large kept", Version{Key: "x", IsLatest: true, LastModified: t0, Size: 100, Tags: objstore.Tags{"tmp": "yes"}}, at(5), Action{}},
		{"wrong tag value kept", Version{Key: "x", IsLatest: true, LastModified: t0, Size: 10, Tags: objstore.Tags{"tmp": "no"}}, at(5), Action{}},
		{"newest noncurrent kept", Version{Key: "v/a", NoncurrentSince: t0, NewerNoncurrent: 0}, at(10), Action{}},
		{"older noncurrent expired", Version{Key: "v/a", NoncurrentSince: t0, NewerNoncurrent: 1}, at(2), Action{DeleteVersion, "", "versions"}},
		{"older noncurrent not yet", Version{Key: "v/a", NoncurrentSince: t0, NewerNoncurrent: 1}, at(1.5), Action{}},
		{"lone delete marker removed", Version{Key: "v/a", IsLatest: true, DeleteMarker: true, Alone: true, LastModified: t0}, at(0), Action{DeleteVersion, "", "versions"}},
		{"marker hiding versions kept", Version{Key: "v/a", IsLatest: true, DeleteMarker: true, LastModified: t0}, at(100), Action{}},
		{"current v/ object kept", Version{Key: "v/a", IsLatest: true, LastModified: t0}, at(100), Action{}},
		{"noncurrent moved after NoncurrentDays", Version{Key: "nt/a", NoncurrentSince: t0, StorageClass: "STANDARD"}, at(5), Action{ChangeClass, "GLACIER", "nt"}},
		{"noncurrent not yet moved", Version{Key: "nt/a", NoncurrentSince: t0, StorageClass: "STANDARD"}, at(4), Action{}},
		{"current nt/ object not moved", Version{Key: "nt/a", IsLatest: true, LastModified: t0}, at(50), Action{}},
		{"dated transition before its date", Version{Key: "d/a", IsLatest: true, LastModified: t0}, time.Date(2030, 1, 9, 23, 0, 0, 0, time.UTC), Action{}},
		{"dated transition on its date", Version{Key: "d/a", IsLatest: true, LastModified: t0}, time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC), Action{ChangeClass, "GLACIER_IR", "dated"}},
	}
	for _, c := range cases {
		if got := cfg.Evaluate(c.v, c.now, day); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestRealDaysRoundToMidnight: with days of real length a rule fires at
// the midnight UTC after the object's age reaches them, as in S3.
func TestRealDaysRoundToMidnight(t *testing.T) {
	cfg := mustParse(t, doc(rule("exp", `<Expiration><Days>1</Days></Expiration>`)))
	written := time.Date(2030, 3, 1, 15, 30, 0, 0, time.UTC)
	v := Version{Key: "k", IsLatest: true, LastModified: written}
	at, id, ok := cfg.Expiration(v, Day)
	if want := time.Date(2030, 3, 3, 0, 0, 0, 0, time.UTC); !ok || id != "exp" || !at.Equal(want) {
		t.Fatalf("expiration %v %q %v, want %v", at, id, ok, want)
	}
	if a := cfg.Evaluate(v, at.Add(-time.Second), Day); a.Kind != Keep {
		t.Errorf("expired a second early: %+v", a)
	}
	if a := cfg.Evaluate(v, at, Day); a.Kind != ExpireCurrent {
		t.Errorf("not expired at %v: %+v", at, a)
	}
}

func TestAbortDue(t *testing.T) {
	cfg := mustParse(t, doc(`<Rule><ID>mpu</ID><Status>Enabled</Status><Filter><Prefix>up/</Prefix></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>`))
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := cfg.AbortDue("up/a", t0, t0.Add(1500*time.Millisecond), time.Second); ok {
		t.Error("aborted before its days")
	}
	if id, ok := cfg.AbortDue("up/a", t0, t0.Add(2*time.Second), time.Second); !ok || id != "mpu" {
		t.Error("not aborted after its days")
	}
	if _, ok := cfg.AbortDue("other", t0, t0.Add(time.Hour), time.Second); ok {
		t.Error("aborted outside the prefix")
	}
}

func TestRestoreDelayScalesWithDay(t *testing.T) {
	d, err := RestoreDelay("GLACIER", TierStandard, time.Second)
	if err != nil || d != 5*time.Hour/(24*3600) {
		t.Errorf("GLACIER Standard with a 1s day: %v %v", d, err)
	}
	if _, err := RestoreDelay("DEEP_ARCHIVE", TierExpedited, Day); err == nil {
		t.Error("DEEP_ARCHIVE offers Expedited")
	}
}
