package sse

import "testing"

// TestKeyARN: responses name keys by ARN, and every form a request may
// use (ID, alias, key ARN, alias ARN) finds the same key.
func TestKeyARN(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	for ref, want := range map[string]string{
		id:                                  "arn:aws:kms:eu-west-1:000000000001:key/" + id,
		"alias/files":                       "arn:aws:kms:eu-west-1:000000000001:alias/files",
		"arn:aws:kms:us-east-1:1:key/" + id: "arn:aws:kms:us-east-1:1:key/" + id,
		"":                                  "",
	} {
		if got := KeyARN("eu-west-1", "000000000001", ref); got != want {
			t.Errorf("KeyARN(%q) = %q, want %q", ref, got, want)
		}
	}
	st := &kmsState{Keys: []*kmsKey{{KeyInfo: KeyInfo{ID: id, Aliases: []string{"alias/files"}}}}}
	for _, ref := range []string{id, "alias/files", KeyARN("eu-west-1", "000000000001", id), KeyARN("eu-west-1", "000000000001", "alias/files")} {
		if k, err := st.find(ref); err != nil || k.ID != id {
			t.Errorf("find(%q) = %v, %v; want key %s", ref, k, err, id)
		}
	}
}
