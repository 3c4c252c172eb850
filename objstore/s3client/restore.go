package s3client

import (
	"net/http"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// restoreFromHeader reads x-amz-restore: `ongoing-request="true"` while a
// restore of an archived version runs, `ongoing-request="false",
// expiry-date="<HTTP date>"` once its copy is readable. It returns nil
// for an absent or unreadable header.
func restoreFromHeader(v string) *objstore.RestoreStatus {
	switch quotedField(v, "ongoing-request") {
	case "true":
		return &objstore.RestoreStatus{Ongoing: true}
	case "false":
		t, err := http.ParseTime(quotedField(v, "expiry-date"))
		if err != nil {
			return nil
		}
		return &objstore.RestoreStatus{Expiry: t}
	}
	return nil
}

// quotedField returns the value of name="value" in v, or "".
func quotedField(v, name string) string {
	_, rest, ok := strings.Cut(v, name+`="`)
	if !ok {
		return ""
	}
	val, _, ok := strings.Cut(rest, `"`)
	if !ok {
		return ""
	}
	return val
}
