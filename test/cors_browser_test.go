package test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// corsPage is a web page of another origin that uploads an object with a
// pre-signed PUT, reads it back with a pre-signed GET and posts what
// happened to /result of its own origin.
var corsPage = template.Must(template.New("page").Parse(`<!doctype html>
<html><body>loading
<script>
(async () => {
  let result;
  try {
    const put = await fetch({{.Put}}, {method: "PUT", body: "written by a browser", headers: {"Content-Type": "text/plain"}});
    if (!put.ok) throw new Error("PUT answered " + put.status);
    const get = await fetch({{.Get}});
    result = "ok " + get.status + " " + (get.headers.get("x-amz-version-id") || "-") + " " + await get.text();
  } catch (e) {
    result = "failed " + e;
  }
  await fetch("/result", {method: "POST", body: result});
  document.body.textContent = result;
})();
</script></body></html>`))

// chromium is the headless browser the CORS test drives.
func chromium(t *testing.T) string {
	return needTool(t, "/usr/bin/chromium", "chromium", "chromium-browser")
}

// browserRun serves the page from a server of its own (another origin
// than cairn serve), loads it in headless Chromium and returns what the
// page reported, and the page's origin.
func browserRun(t *testing.T, browser, putURL, getURL string) string {
	t.Helper()
	results := make(chan string, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		corsPage.Execute(w, map[string]string{"Put": putURL, "Get": getURL})
	})
	mux.HandleFunc("POST /result", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case results <- string(b):
		default:
		}
	})
	page := httptest.NewServer(mux)
	defer page.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-first-run", "--disable-extensions", "--disable-sync", "--disable-background-networking",
		"--disable-component-update", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=30000", "--dump-dom", page.URL+"/")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers the browser left behind
	}
	select {
	case r := <-results:
		return r
	default:
		t.Fatalf("the page reported nothing (chromium: %v)\n%s", err, out)
		return ""
	}
}

// presignURL runs `cairn presign` against the server.
func presignURL(t *testing.T, s *server, extra ...string) string {
	t.Helper()
	args := append([]string{"presign", "--data", s.dataDir, "--endpoint", s.endpoint}, extra...)
	out := s.runEnv(t, []string{"CAIRN_ACCESS_KEY=" + testAccessKey, "CAIRN_SECRET_KEY=" + testSecretKey}, cairnBinary(t), args...)
	return strings.TrimSpace(out)
}

// TestCORSBrowser: a page of another origin in headless Chromium uploads
// with a pre-signed PUT and reads the object back once the bucket's CORS
// rules allow that origin, and fails to without them.
func TestCORSBrowser(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "webapp")
	s.aws(t, "s3api", "put-bucket-versioning", "--bucket", "webapp", "--versioning-configuration", "Status=Enabled")
	putURL := presignURL(t, s, "--put", "s3://webapp/upload.txt")
	getURL := presignURL(t, s, "s3://webapp/upload.txt")

	if got := browserRun(t, browser, putURL, getURL); !strings.HasPrefix(got, "failed") {
		t.Fatalf("without CORS rules the page reported %q, want the browser to block the upload", got)
	}
	s.awsFails(t, "404", "s3api", "head-object", "--bucket", "webapp", "--key", "upload.txt")

	// The page's origin is http://127.0.0.1:PORT of a server started per
	// run, so the rule allows any loopback port.
	rules := `{"CORSRules":[{"AllowedOrigins":["http://127.0.0.1:*"],"AllowedMethods":["PUT","GET"],"AllowedHeaders":["*"],"ExposeHeaders":["ETag","x-amz-version-id"]}]}`
	s.aws(t, "s3api", "put-bucket-cors", "--bucket", "webapp", "--cors-configuration", rules)
	got := browserRun(t, browser, putURL, getURL)
	var head struct {
		VersionID string `json:"VersionId"`
	}
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "webapp", "--key", "upload.txt")
	if want := fmt.Sprintf("ok 200 %s written by a browser", head.VersionID); got != want {
		t.Fatalf("with a CORS rule the page reported %q, want %q", got, want)
	}
	body := filepath.Join(t.TempDir(), "upload.txt")
	s.aws(t, "s3api", "get-object", "--bucket", "webapp", "--key", "upload.txt", body)
	if b := mustRead(t, body); string(b) != "written by a browser" {
		t.Fatalf("the object the browser wrote holds %q", b)
	}
}
