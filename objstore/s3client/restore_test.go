package s3client

import (
	"testing"
	"time"
)

func TestRestoreFromHeader(t *testing.T) {
	if r := restoreFromHeader(`ongoing-request="true"`); r == nil || !r.Ongoing {
		t.Errorf("ongoing restore read as %+v", r)
	}
	r := restoreFromHeader(`ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`)
	if want := time.Date(2012, 12, 21, 0, 0, 0, 0, time.UTC); r == nil || r.Ongoing || !r.Expiry.Equal(want) {
		t.Errorf("completed restore read as %+v", r)
	}
	for _, v := range []string{"", "garbage", `ongoing-request="false", expiry-date="soon"`} {
		if r := restoreFromHeader(v); r != nil {
			t.Errorf("%q read as %+v", v, r)
		}
	}
}
