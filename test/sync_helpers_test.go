package test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// syncSettle is the --settle of the one-pass syncs: short, so that a file
// written just before a pass costs the pass only a moment's wait.
const syncSettle = "20ms"

// syncBackend is an S3 server the sync scenarios run against: cairn
// serve, or gofakes3 as a second S3 implementation written independently
// of cairn.
type syncBackend struct {
	name     string
	endpoint string
	// store talks to the server directly: the changes "another program"
	// makes to the bucket, and what the assertions read.
	store objstore.Store
	// down stops the server, keeping its data; up starts it again on the
	// same address.
	down, up func(t *testing.T)
}

// syncBackends are the servers every scenario runs against. start
// serves on addr, or on a free loopback port when addr is "".
var syncBackends = []struct {
	name  string
	start func(t *testing.T, addr string) *syncBackend
}{
	{"serve", startSyncServe},
	{"gofakes3", startSyncFakeS3},
}

// startSyncServe starts cairn serve for the sync scenarios.
func startSyncServe(t *testing.T, addr string) *syncBackend {
	t.Helper()
	var extra []string
	if addr != "" {
		extra = []string{"--listen", addr}
	}
	s := startServe(t, extra...)
	data, addr := s.dataDir, strings.TrimPrefix(s.endpoint, "http://")
	b := &syncBackend{name: "serve", endpoint: s.endpoint, store: newSyncClient(t, s.endpoint)}
	b.down = func(t *testing.T) { s.stop(t) }
	b.up = func(t *testing.T) {
		t.Helper()
		s = startServe(t, "--data", data, "--listen", addr)
		if s.endpoint != b.endpoint {
			t.Fatalf("cairn serve came back on %s, want %s", s.endpoint, b.endpoint)
		}
	}
	return b
}

// startSyncFakeS3 serves gofakes3 on its memory backend in this process.
// Versioning works there once a bucket has it turned on
// (PutBucketVersioning), so the history checks hold for it as they do for
// cairn serve. delimitedListing (mount_gofakes3_test.go) fixes its
// delimited listings, replacingPuts its overwrites.
//
// Two more ways gofakes3 differs from S3 are allowed for in the
// scenarios: it lists the versions of a key oldest first, and gives a
// multipart object the plain MD5 of its bytes as ETag.
func startSyncFakeS3(t *testing.T, addr string) *syncBackend {
	t.Helper()
	faker := gofakes3.New(replacingPuts{delimitedListing{s3mem.New()}}, gofakes3.WithLogger(gofakes3.DiscardLog()))
	f := &restartableServer{handler: faker.Server()}
	f.listen(t, cmp.Or(addr, "127.0.0.1:0"))
	t.Cleanup(f.close)
	ep := "http://" + f.addr
	return &syncBackend{
		name: "gofakes3", endpoint: ep, store: newSyncClient(t, ep),
		down: func(*testing.T) { f.close() },
		up:   func(t *testing.T) { f.listen(t, f.addr) },
	}
}

// stablePort returns a free loopback address whose port lies below the
// range the kernel picks the local ports of outgoing connections from, so
// that no connection takes it while a server that must come back on it is
// down.
func stablePort(t *testing.T) string {
	t.Helper()
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			low, _ = strconv.Atoi(f[0])
		}
	}
	seed := sha256.Sum256([]byte(t.Name() + time.Now().String()))
	for i := range 200 {
		port := 10000 + (int(seed[0])<<8|int(seed[1])+i*97)%max(low-10000, 1)
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if ln, err := net.Listen("tcp", addr); err == nil {
			ln.Close()
			return addr
		}
	}
	t.Fatalf("no free port below %d", low)
	return ""
}

// replacingPuts corrects gofakes3 v1.2.0's PutObject, which carries the
// user metadata of the version it replaces over to the new one
// (gofakes3.MergeMetadata), where S3 keeps only the metadata sent with
// the PUT. An object another program overwrote would keep cairn's
// SHA-256 of the old content, and cairn would rightly refuse to download
// it as corrupt. Each user metadata name of the old version that the new
// one lacks is sent empty, which the merge leaves alone and which cairn
// reads as no value.
type replacingPuts struct{ delimitedListing }

// PutObject stores an object with only the user metadata given.
func (b replacingPuts) PutObject(bucket, key string, meta map[string]string, body io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	if old, err := b.HeadObject(bucket, key); err == nil {
		for k := range old.Metadata {
			if _, ok := meta[k]; !ok && strings.HasPrefix(strings.ToLower(k), "x-amz-meta-") {
				meta[k] = ""
			}
		}
	}
	return b.delimitedListing.PutObject(bucket, key, meta, body, size, cond)
}

// restartableServer serves an in-process S3 handler on a loopback address that
// can be closed and opened again with the same data.
type restartableServer struct {
	handler http.Handler
	addr    string
	mu      sync.Mutex
	srv     *http.Server
}

// listen serves on addr (a port of 0 picks one).
func (f *restartableServer) listen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	srv := &http.Server{Handler: f.handler}
	go srv.Serve(ln)
	f.mu.Lock()
	f.srv, f.addr = srv, ln.Addr().String()
	f.mu.Unlock()
}

// close stops serving; listen may serve again.
func (f *restartableServer) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.srv != nil {
		f.srv.Close()
		f.srv = nil
	}
}

// newSyncClient returns an S3 client of endpoint with the test credentials.
func newSyncClient(t *testing.T, endpoint string) objstore.Store {
	t.Helper()
	st, err := s3client.New(context.Background(), s3client.Options{
		Endpoint: endpoint, Region: testRegion, AccessKey: testAccessKey, SecretKey: testSecretKey, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("s3 client of %s: %v", endpoint, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// syncWorld is what one scenario plays in: a bucket prefix, two folders
// synced with it (two machines, A and B), and a ledger of every content
// ever written to each path from either side.
type syncWorld struct {
	t      *testing.T
	b      *syncBackend
	bucket string
	prefix string
	// A and B are two folders paired with the same prefix.
	A, B string
	data string
	// skip names paths the sync leaves alone; they are kept out of the
	// comparisons of trees.
	skip func(rel string) bool
	// ledger maps a path to the digests of every content written there.
	ledger map[string]map[string]bool
	// carried maps a path to the paths its content was moved to by a
	// rename or saved under as a conflict copy: its history may be there.
	carried map[string][]string
	// via names the endpoint a folder syncs through, when not the server's.
	via map[string]string
}

// newSyncWorld makes a fresh bucket, versioned unless unversioned, and two
// empty folders.
func newSyncWorld(t *testing.T, b *syncBackend, unversioned bool) *syncWorld {
	t.Helper()
	sum := sha256.Sum256([]byte(t.Name()))
	w := &syncWorld{t: t, b: b, bucket: fmt.Sprintf("sync-%x", sum[:8]), prefix: "team/shared/",
		A: filepath.Join(t.TempDir(), "a"), B: filepath.Join(t.TempDir(), "b"), data: t.TempDir(),
		skip: func(string) bool { return false }, ledger: map[string]map[string]bool{},
		carried: map[string][]string{}, via: map[string]string{}}
	for _, d := range []string{w.A, w.B} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if err := b.store.CreateBucket(ctx, w.bucket, objstore.CreateBucketOptions{}); err != nil {
		t.Fatalf("create bucket %s: %v", w.bucket, err)
	}
	if !unversioned {
		if err := b.store.PutBucketVersioning(ctx, w.bucket, objstore.VersioningEnabled); err != nil {
			t.Fatalf("turn on versioning of %s: %v", w.bucket, err)
		}
	}
	return w
}

// url is the remote side of the pair.
func (w *syncWorld) url() string { return "s3://" + w.bucket + "/" + strings.TrimSuffix(w.prefix, "/") }

// key is the object key of rel.
func (w *syncWorld) key(rel string) string { return w.prefix + rel }

// syncEnv is the environment cairn runs with: the test credentials and no
// AWS configuration of the machine's.
func syncEnv() []string {
	return append(os.Environ(), "CAIRN_ACCESS_KEY="+testAccessKey, "CAIRN_SECRET_KEY="+testSecretKey,
		"CAIRN_DATA=", "CAIRN_ENDPOINT=", "AWS_REGION="+testRegion, "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")
}

// syncArgs are the arguments of cairn sync of dir on endpoint.
func (w *syncWorld) syncArgs(endpoint, dir string, args []string) []string {
	full := []string{"--endpoint", endpoint, "--data", w.data, "sync", "--settle", syncSettle}
	full = append(full, args...)
	return append(full, dir, w.url())
}

// endpoint is where dir syncs to.
func (w *syncWorld) endpoint(dir string) string {
	if ep, ok := w.via[dir]; ok {
		return ep
	}
	return w.b.endpoint
}

// run runs cairn sync --once of dir (A or B) with extra flags.
func (w *syncWorld) run(dir string, args ...string) cliResult {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	full := w.syncArgs(w.endpoint(dir), dir, append([]string{"--once"}, args...))
	cmd := exec.CommandContext(ctx, cairnBinary(w.t), full...)
	cmd.Env = syncEnv()
	return runCaptured(w.t, cmd)
}

// ok runs a pass that must succeed and returns its summary line.
func (w *syncWorld) ok(dir string, args ...string) string {
	w.t.Helper()
	r := w.run(dir, args...)
	if r.code != 0 {
		w.t.Fatalf("cairn sync %s of %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), w.side(dir), r.code, r.stdout, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// summary runs a pass that must succeed with the summary want.
func (w *syncWorld) summary(dir, want string, args ...string) {
	w.t.Helper()
	if got := w.ok(dir, args...); got != want {
		w.t.Errorf("sync of %s: summary %q, want %q", w.side(dir), got, want)
	}
}

// refused runs a pass that must exit 1 with a message holding want.
func (w *syncWorld) refused(dir, want string, args ...string) cliResult {
	w.t.Helper()
	r := w.run(dir, args...)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		w.t.Fatalf("sync of %s: exit %d, want 1 with %q\nstdout:\n%s\nstderr:\n%s", w.side(dir), r.code, want, r.stdout, r.stderr)
	}
	return r
}

// dryRun returns the actions a pass of dir would take.
func (w *syncWorld) dryRun(dir string, args ...string) []string {
	w.t.Helper()
	out := w.ok(dir, append([]string{"--dry-run"}, args...)...)
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// side names a folder in messages.
func (w *syncWorld) side(dir string) string {
	switch dir {
	case w.A:
		return "A"
	case w.B:
		return "B"
	}
	return dir
}

// seed writes files on A and syncs them to the bucket and to B.
func (w *syncWorld) seed(files map[string]string) {
	w.t.Helper()
	for rel, c := range files {
		w.write(w.A, rel, c)
	}
	w.summary(w.A, fmt.Sprintf("%d uploaded", len(files)))
	w.summary(w.B, fmt.Sprintf("%d downloaded", len(files)))
	w.wantEverywhere(files)
}

// note adds content to the ledger of rel.
func (w *syncWorld) note(rel string, content []byte) {
	if w.ledger[rel] == nil {
		w.ledger[rel] = map[string]bool{}
	}
	w.ledger[rel][syncDigest(content)] = true
}

// write writes a file in a folder, creating its directories.
func (w *syncWorld) write(dir, rel, content string) {
	w.t.Helper()
	w.writeBytes(dir, rel, []byte(content))
}

// writeBytes writes a file in a folder and notes it in the ledger.
func (w *syncWorld) writeBytes(dir, rel string, content []byte) {
	w.t.Helper()
	writeSyncFile(w.t, filepath.Join(dir, rel), content)
	w.note(rel, content)
}

// writeIgnored writes a file the sync must leave alone: not in the ledger.
func (w *syncWorld) writeIgnored(dir, rel, content string) {
	w.t.Helper()
	writeSyncFile(w.t, filepath.Join(dir, rel), []byte(content))
}

// writeSyncFile writes a file, creating its directories.
func writeSyncFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// age sets a local file's mtime d in the past.
func (w *syncWorld) age(dir, rel string, d time.Duration) {
	w.t.Helper()
	at := time.Now().Add(-d)
	if err := os.Chtimes(filepath.Join(dir, rel), at, at); err != nil {
		w.t.Fatal(err)
	}
}

// remove deletes a local file.
func (w *syncWorld) remove(dir, rel string) {
	w.t.Helper()
	if err := os.Remove(filepath.Join(dir, rel)); err != nil {
		w.t.Fatal(err)
	}
}

// rename renames a local file or directory.
func (w *syncWorld) rename(dir, from, to string) {
	w.t.Helper()
	for rel := range w.ledger {
		if rest, ok := strings.CutPrefix(rel, from); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
			w.carry(rel, to+rest)
		}
	}
	dst := filepath.Join(dir, to)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, from), dst); err != nil {
		w.t.Fatal(err)
	}
}

// symlink makes a local symlink to target and notes the target as its
// content (what the sync stores).
func (w *syncWorld) symlink(dir, target, rel string) {
	w.t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, rel)); err != nil {
		w.t.Fatal(err)
	}
	w.note(rel, []byte(target))
}

// put writes an object directly, as another program would.
func (w *syncWorld) put(rel, content string) {
	w.t.Helper()
	w.putMeta(rel, content, nil)
}

// putMeta writes an object with user metadata.
func (w *syncWorld) putMeta(rel, content string, meta map[string]string) {
	w.t.Helper()
	opts := objstore.PutOptions{Size: int64(len(content)), ObjectMeta: objstore.ObjectMeta{UserMetadata: meta}}
	if _, err := w.b.store.PutObject(context.Background(), w.bucket, w.key(rel), strings.NewReader(content), opts); err != nil {
		w.t.Fatalf("put %s: %v", rel, err)
	}
	w.note(rel, []byte(content))
}

// del deletes an object directly.
func (w *syncWorld) del(rel string) {
	w.t.Helper()
	if _, err := w.b.store.DeleteObject(context.Background(), w.bucket, w.key(rel), objstore.DeleteOptions{}); err != nil {
		w.t.Fatalf("delete %s: %v", rel, err)
	}
}

// move renames an object directly: a server-side copy, then a delete.
func (w *syncWorld) move(from, to string) {
	w.t.Helper()
	co := objstore.CopyOptions{Source: objstore.CopySource{Bucket: w.bucket, Key: w.key(from)}}
	if _, err := w.b.store.CopyObject(context.Background(), w.bucket, w.key(to), co); err != nil {
		w.t.Fatalf("copy %s to %s: %v", from, to, err)
	}
	w.carry(from, to)
	w.del(from)
}

// carry notes that the content of from went on under the path to.
func (w *syncWorld) carry(from, to string) {
	if !slices.Contains(w.carried[from], to) {
		w.carried[from] = append(w.carried[from], to)
	}
}

// syncDigest names a content in messages and comparisons: the content itself
// when short and printable, else its size and SHA-256.
func syncDigest(b []byte) string {
	if len(b) <= 64 && utf8.Valid(b) && !bytes.ContainsFunc(b, unicode.IsControl) {
		return strconv.Quote(string(b))
	}
	return fmt.Sprintf("<%d bytes sha256:%x>", len(b), sha256.Sum256(b))
}

// localTree returns the digest of each file and symlink target under dir,
// less the state directory and the paths w.skip names.
func (w *syncWorld) localTree(dir string) map[string]string {
	w.t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".cairn" && d.IsDir():
			return filepath.SkipDir
		case d.IsDir() || w.skip(rel):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			tree[rel] = syncDigest([]byte(target))
			return err
		}
		b, err := os.ReadFile(p)
		tree[rel] = syncDigest(b)
		return err
	})
	if err != nil {
		w.t.Fatalf("read %s: %v", dir, err)
	}
	return tree
}

// remoteTree returns the digest of each current object under the prefix,
// less the paths w.skip names.
func (w *syncWorld) remoteTree() map[string]string {
	w.t.Helper()
	var keys []string
	opts := objstore.ListOptions{Prefix: w.prefix}
	for {
		page, err := w.b.store.ListObjects(context.Background(), w.bucket, opts)
		if err != nil {
			w.t.Fatalf("list %s: %v", w.url(), err)
		}
		for _, o := range page.Objects {
			if !w.skip(strings.TrimPrefix(o.Key, w.prefix)) {
				keys = append(keys, o.Key)
			}
		}
		if !page.IsTruncated {
			break
		}
		opts.ContinuationToken = page.NextContinuationToken
	}
	return w.fetchAll(keys)
}

// fetchAll reads the current objects of keys, a few at a time, and
// returns their digests by path; keys deleted meanwhile are left out.
func (w *syncWorld) fetchAll(keys []string) map[string]string {
	w.t.Helper()
	var (
		mu   sync.Mutex
		tree = map[string]string{}
		errs []error
		wg   sync.WaitGroup
	)
	jobs := make(chan string)
	for range 8 {
		wg.Go(func() {
			for key := range jobs {
				d, ok, err := w.fetch(key, "")
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else if ok {
					tree[strings.TrimPrefix(key, w.prefix)] = d
				}
				mu.Unlock()
			}
		})
	}
	for _, k := range keys {
		jobs <- k
	}
	close(jobs)
	wg.Wait()
	if len(errs) > 0 {
		w.t.Fatal(errors.Join(errs...))
	}
	return tree
}

// content returns the digest of a version of key (the current one for "").
func (w *syncWorld) content(key, version string) string {
	w.t.Helper()
	d, ok, err := w.fetch(key, version)
	if err != nil {
		w.t.Fatal(err)
	}
	if !ok {
		w.t.Fatalf("get %s (version %q): no such key", key, version)
	}
	return d
}

// fetch returns the digest of a version of key, or false when the key is
// gone (deleted by a sync running meanwhile).
func (w *syncWorld) fetch(key, version string) (string, bool, error) {
	obj, err := w.b.store.GetObject(context.Background(), w.bucket, key, objstore.GetOptions{VersionID: version})
	if errors.Is(err, objstore.ErrNoSuchKey) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get %s (version %q): %w", key, version, err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		return "", false, fmt.Errorf("read %s (version %q): %w", key, version, err)
	}
	return syncDigest(b), true, nil
}

// syncDigests maps each path of files to the digest of its content.
func syncDigests(files map[string]string) map[string]string {
	d := make(map[string]string, len(files))
	for rel, c := range files {
		d[rel] = syncDigest([]byte(c))
	}
	return d
}

// wantEverywhere asserts that the bucket and both folders hold exactly files.
func (w *syncWorld) wantEverywhere(files map[string]string) {
	w.t.Helper()
	want := syncDigests(files)
	w.compare("the bucket", w.remoteTree(), want)
	w.compare("folder A", w.localTree(w.A), want)
	w.compare("folder B", w.localTree(w.B), want)
}

// wantTree asserts that a folder holds exactly files.
func (w *syncWorld) wantTree(dir string, files map[string]string) {
	w.t.Helper()
	w.compare("folder "+w.side(dir), w.localTree(dir), syncDigests(files))
}

// wantRemote asserts that the bucket holds exactly files.
func (w *syncWorld) wantRemote(files map[string]string) {
	w.t.Helper()
	w.compare("the bucket", w.remoteTree(), syncDigests(files))
}

// inSync asserts that each folder holds what the bucket holds.
func (w *syncWorld) inSync(dirs ...string) map[string]string {
	w.t.Helper()
	remote := w.remoteTree()
	for _, d := range dirs {
		w.compare("folder "+w.side(d)+" against the bucket", w.localTree(d), remote)
	}
	return remote
}

// compare reports every path where got and want differ.
func (w *syncWorld) compare(what string, got, want map[string]string) {
	w.t.Helper()
	var diffs []string
	for rel, d := range want {
		if g, ok := got[rel]; !ok {
			diffs = append(diffs, fmt.Sprintf("  %s: missing, want %s", rel, d))
		} else if g != d {
			diffs = append(diffs, fmt.Sprintf("  %s: %s, want %s", rel, g, d))
		}
	}
	for rel, g := range got {
		if _, ok := want[rel]; !ok {
			diffs = append(diffs, fmt.Sprintf("  %s: %s, want nothing", rel, g))
		}
	}
	if len(diffs) > 0 {
		slices.Sort(diffs)
		w.t.Errorf("%s differs:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// objVersion is one version or delete marker of a key.
type objVersion struct {
	id           string
	content      string // digest; empty for a delete marker
	deleteMarker bool
	latest       bool
}

// versions returns every version and delete marker of the key of rel, in
// the order the server lists them. (One key at a time: gofakes3 cannot
// continue a truncated listing of versions.)
func (w *syncWorld) versions(rel string) []objVersion {
	w.t.Helper()
	var all []objVersion
	key := w.key(rel)
	opts := objstore.ListVersionsOptions{Prefix: key}
	for {
		page, err := w.b.store.ListObjectVersions(context.Background(), w.bucket, opts)
		if err != nil {
			w.t.Fatalf("list versions of %s: %v", key, err)
		}
		for _, v := range page.Versions {
			if v.Key != key {
				continue
			}
			ver := objVersion{id: v.VersionID, deleteMarker: v.DeleteMarker, latest: v.IsLatest}
			if !v.DeleteMarker {
				ver.content = w.content(v.Key, v.VersionID)
			}
			all = append(all, ver)
		}
		if !page.IsTruncated {
			return all
		}
		if page.NextKeyMarker == opts.KeyMarker && page.NextVersionIDMarker == opts.VersionIDMarker {
			w.t.Fatalf("list versions of %s: a truncated page without a way on", key)
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
}

// checkHistory asserts the promise of the sync: every content ever
// written to a path, from either side, is current on some path of the
// bucket, or among the versions of its key or of a key it was carried to
// (renamed, or saved as a conflict copy).
func (w *syncWorld) checkHistory() {
	w.t.Helper()
	current := map[string]bool{}
	for _, d := range w.remoteTree() {
		current[d] = true
	}
	for rel, written := range w.ledger {
		var history []objVersion
		for d := range written {
			if current[d] {
				continue
			}
			if history == nil {
				history = w.history(rel, map[string]bool{})
			}
			if !slices.ContainsFunc(history, func(v objVersion) bool { return v.content == d }) {
				w.t.Errorf("lost: %s was written to %s but is neither current on any path nor in the versions %v", d, rel, history)
			}
		}
	}
}

// history returns the versions of rel and of every path it was carried to.
func (w *syncWorld) history(rel string, seen map[string]bool) []objVersion {
	if seen[rel] {
		return nil
	}
	seen[rel] = true
	vs := w.versions(rel)
	for _, to := range w.carried[rel] {
		vs = append(vs, w.history(to, seen)...)
	}
	return vs
}

// conflictCopies returns the paths of tree that are conflict copies of rel.
func conflictCopies(tree map[string]string, rel string) []string {
	ext := filepath.Ext(rel)
	if ext == filepath.Base(rel) {
		ext = ""
	}
	re := regexp.MustCompile("^" + regexp.QuoteMeta(strings.TrimSuffix(rel, ext)) +
		` \(conflict \d{4}-\d{2}-\d{2} \d{6} [^)]+\)` + regexp.QuoteMeta(ext) + "$")
	var found []string
	for p := range tree {
		if re.MatchString(p) {
			found = append(found, p)
		}
	}
	slices.Sort(found)
	return found
}

// wantConflict asserts that, in the bucket and both folders, rel holds
// winner and exactly one conflict copy of it holds loser.
func (w *syncWorld) wantConflict(rel, winner, loser string) {
	w.t.Helper()
	trees := map[string]map[string]string{"the bucket": w.remoteTree(), "folder A": w.localTree(w.A), "folder B": w.localTree(w.B)}
	for where, tree := range trees {
		if got := tree[rel]; got != syncDigest([]byte(winner)) {
			w.t.Errorf("%s: %s holds %s, want the newer %q", where, rel, got, winner)
		}
		copies := conflictCopies(tree, rel)
		if len(copies) != 1 || tree[copies[0]] != syncDigest([]byte(loser)) {
			w.t.Errorf("%s: conflict copies of %s are %v, want one holding %q (tree %v)", where, rel, copies, loser, tree)
		}
		for _, c := range copies {
			w.carry(rel, c)
		}
	}
}

// bgSync is a cairn sync running without --once.
type bgSync struct {
	cmd  *exec.Cmd
	done chan error
	out  *syncLineLog
}

// syncLineLog keeps the lines a process printed and sends them to the test log.
type syncLineLog struct {
	log   *testLogWriter
	mu    sync.Mutex
	lines []string
}

// Write keeps and logs the lines of p.
func (l *syncLineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.lines = append(l.lines, strings.Split(strings.TrimRight(string(p), "\n"), "\n")...)
	l.mu.Unlock()
	return l.log.Write(p)
}

// failed tells whether the process reported a failed pass.
func (bg *bgSync) failed() bool {
	bg.out.mu.Lock()
	defer bg.out.mu.Unlock()
	return slices.ContainsFunc(bg.out.lines, func(l string) bool { return strings.Contains(l, "pass failed, will retry") })
}

// printed counts the lines that end with suffix.
func (bg *bgSync) printed(suffix string) int {
	bg.out.mu.Lock()
	defer bg.out.mu.Unlock()
	n := 0
	for _, l := range bg.out.lines {
		if strings.HasSuffix(l, suffix) {
			n++
		}
	}
	return n
}

// start starts cairn sync of dir in the background (continuous unless
// args hold --once); it is killed when the test ends if still running.
func (w *syncWorld) start(dir string, args ...string) *bgSync {
	w.t.Helper()
	cmd := exec.Command(cairnBinary(w.t), w.syncArgs(w.endpoint(dir), dir, args)...)
	cmd.Env = syncEnv()
	out := &syncLineLog{log: &testLogWriter{t: w.t, prefix: "cairn sync of " + w.side(dir) + ": "}}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		w.t.Fatalf("start cairn sync: %v", err)
	}
	bg := &bgSync{cmd: cmd, done: make(chan error, 1), out: out}
	go func() { bg.done <- cmd.Wait() }()
	w.t.Cleanup(func() {
		cmd.Process.Kill()
		<-bg.done
	})
	return bg
}

// stop ends a background sync with SIGTERM and checks that it exits 0.
func (bg *bgSync) stop(t *testing.T) {
	t.Helper()
	bg.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-bg.done:
		bg.done <- err // for the cleanup
		if err != nil {
			t.Errorf("cairn sync exited with %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("cairn sync did not stop within 30 s of SIGTERM")
	}
}

// syncEventually polls cond until it holds, failing the test after a
// generous deadline.
func syncEventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// hookProxy is a reverse proxy in front of an S3 server that calls hook
// with each request before it forwards it: another client can so act in
// the middle of a sync's pass.
type hookProxy struct {
	proxy *httputil.ReverseProxy
	hook  func(*http.Request)
}

// startHookProxy serves a hookProxy to endpoint on a loopback port and
// returns its URL.
func startHookProxy(t *testing.T, endpoint string, hook func(*http.Request)) string {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	f := &restartableServer{handler: &hookProxy{proxy: httputil.NewSingleHostReverseProxy(target), hook: hook}}
	f.listen(t, "127.0.0.1:0")
	t.Cleanup(f.close)
	return "http://" + f.addr
}

// ServeHTTP calls the hook, then forwards the request.
func (h *hookProxy) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	h.hook(r)
	h.proxy.ServeHTTP(rw, r)
}

// partGate is a reverse proxy in front of an S3 server that can hold
// multipart part uploads: after allow parts have gone through, every
// further part waits until the gate opens. A crash can so be placed in
// the middle of an upload.
type partGate struct {
	proxy *httputil.ReverseProxy
	open  chan struct{}
	once  sync.Once

	mu     sync.Mutex
	allow  int // parts let through before holding; <0: no holding
	passed int // parts let through
	stored int // parts the server answered 200 OK
	held   int // parts held, until they are answered
}

// startPartGate serves a gate to endpoint on a loopback port and returns
// its URL.
func startPartGate(t *testing.T, endpoint string, allow int) (*partGate, string) {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	g := &partGate{proxy: httputil.NewSingleHostReverseProxy(target), open: make(chan struct{}), allow: allow}
	f := &restartableServer{handler: g}
	f.listen(t, "127.0.0.1:0")
	t.Cleanup(func() {
		g.release()
		f.close()
	})
	return g, "http://" + f.addr
}

// ServeHTTP forwards a request, holding part uploads past the allowance.
func (g *partGate) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method != http.MethodPut || !q.Has("uploadId") || !q.Has("partNumber") {
		g.proxy.ServeHTTP(rw, r)
		return
	}
	admitted := g.admit()
	if !admitted {
		<-g.open
	}
	sw := &gateStatusWriter{ResponseWriter: rw, status: http.StatusOK}
	g.proxy.ServeHTTP(sw, r)
	g.mu.Lock()
	defer g.mu.Unlock()
	if sw.status == http.StatusOK {
		g.stored++
	}
	if !admitted {
		g.held--
	}
}

// admit lets a part through while the allowance lasts, else counts it held.
func (g *partGate) admit() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.allow >= 0 && g.passed >= g.allow {
		g.held++
		return false
	}
	g.passed++
	return true
}

// counts returns how many parts the server stored and how many are held.
func (g *partGate) counts() (stored, held int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stored, g.held
}

// release lets every part through from now on.
func (g *partGate) release() {
	g.mu.Lock()
	g.allow = -1
	g.mu.Unlock()
	g.once.Do(func() { close(g.open) })
}

// gateStatusWriter remembers the status of a response.
type gateStatusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader remembers and sends the status.
func (w *gateStatusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// kill ends a background sync with SIGKILL, as a crash would.
func (bg *bgSync) kill() {
	bg.cmd.Process.Kill()
	err := <-bg.done
	bg.done <- err // for the cleanup
}

// wantFileAttrs asserts the permission bits and mtime (to the second) of a file.
func wantFileAttrs(t *testing.T, path string, perm fs.FileMode, mtime time.Time) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != perm {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), perm)
	}
	if !mtime.IsZero() && fi.ModTime().Unix() != mtime.Unix() {
		t.Errorf("%s: mtime %v, want %v", path, fi.ModTime().UTC(), mtime.UTC())
	}
}
