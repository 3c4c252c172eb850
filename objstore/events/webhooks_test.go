package events

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWebhooksSeeChangesOfAnotherProcess registers webhooks through one
// register while another (a running server's) looks them up.
func TestWebhooksSeeChangesOfAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	server, admin := OpenWebhooks(dir), OpenWebhooks(dir)
	if err := server.Check(WebhookARN("thumbs")); err == nil {
		t.Fatal("an unregistered webhook passes the check")
	}
	if err := admin.Add("thumbs", Webhook{URL: "http://127.0.0.1:8080/hook", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	h, ok, err := server.Lookup(WebhookARN("thumbs"))
	if err != nil || !ok || h.URL != "http://127.0.0.1:8080/hook" || h.Secret != "s" {
		t.Fatalf("after add: %+v %v %v", h, ok, err)
	}
	if err := admin.Add("thumbs", Webhook{URL: "https://example.com/other"}); err != nil {
		t.Fatal(err)
	}
	if h, _, _ := server.Lookup(WebhookARN("thumbs")); h.URL != "https://example.com/other" {
		t.Errorf("after replacing: %+v", h)
	}
	if found, err := admin.Remove("thumbs"); err != nil || !found {
		t.Fatalf("remove: %v %v", found, err)
	}
	if err := server.Check(WebhookARN("thumbs")); err == nil {
		t.Error("a removed webhook still passes the check")
	}
	fi, err := os.Stat(filepath.Join(dir, WebhooksFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("webhooks file mode %v (%v), want 0600: it holds secrets", fi.Mode(), err)
	}
}

func TestWebhookAddRefusesBadInput(t *testing.T) {
	w := OpenWebhooks(t.TempDir())
	for name, url := range map[string]string{
		"ok":     "ftp://host/x",
		"":       "http://host/x",
		"a:b":    "http://host/x",
		"nohost": "http://",
	} {
		if err := w.Add(name, Webhook{URL: url}); err == nil {
			t.Errorf("Add(%q, %q) accepted", name, url)
		}
	}
	if err := w.Check("arn:aws:sqs:us-east-1:123456789012:queue"); err == nil {
		t.Error("an SQS ARN passes the check; only webhooks can take events")
	}
}
