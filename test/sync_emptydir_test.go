package test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// wantDirs fails unless each of dirs is a directory under root and each
// of gone is absent.
func wantDirs(t *testing.T, what, root string, dirs, gone []string) {
	t.Helper()
	for _, d := range dirs {
		if fi, err := os.Stat(filepath.Join(root, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s: %s is not a directory (%v)", what, d, err)
		}
	}
	for _, d := range gone {
		if _, err := os.Lstat(filepath.Join(root, d)); !os.IsNotExist(err) {
			t.Errorf("%s: %s is still there (%v)", what, d, err)
		}
	}
}

// markers returns the directories under the prefix that have a current
// marker object.
func (w *syncWorld) markers() []string {
	w.t.Helper()
	page, err := w.b.store.ListObjects(context.Background(), w.bucket, objstore.ListOptions{Prefix: w.prefix})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, o := range page.Objects {
		if rel := strings.TrimPrefix(o.Key, w.prefix); strings.HasSuffix(rel, "/") {
			out = append(out, strings.TrimSuffix(rel, "/"))
		}
	}
	return out
}

// TestSyncEmptyDirs: empty directories made on either side, or in the
// bucket by a mkdir through the mount, reach the other folder and the
// bucket as markers; removed, they go everywhere; a restore of the folder
// brings them back as they were; the mount lists them.
func TestSyncEmptyDirs(t *testing.T) {
	w := newSyncWorld(t, startSyncServe(t, ""), false)
	// Enough files that removing three directories stays below --max-delete.
	w.seed(map[string]string{"1.txt": "1", "2.txt": "2", "3.txt": "3", "4.txt": "4"})
	for _, d := range []string{filepath.Join(w.A, "fromA"), filepath.Join(w.A, "deep/er"), filepath.Join(w.B, "fromB")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	w.summary(w.A, "2 uploaded")
	w.summary(w.B, "1 uploaded, 2 downloaded")
	w.summary(w.A, "1 downloaded")
	all := []string{"deep/er", "fromA", "fromB"}
	wantDirs(t, "A", w.A, all, nil)
	wantDirs(t, "B", w.B, all, nil)
	if got := w.markers(); strings.Join(got, " ") != "deep/er fromA fromB" {
		t.Errorf("markers %q, want one for each empty directory", got)
	}
	if fi, err := os.Stat(filepath.Join(w.B, "fromA")); err == nil && fi.Mode().Perm() != 0o750 {
		t.Errorf("B: fromA has mode %v, want its mode on A", fi.Mode().Perm())
	}
	before := time.Now().UTC()
	w.summary(w.A, syncNothing)

	w.remove(w.A, "fromA")
	w.remove(w.A, "deep/er") // deep stays, empty: it gets a marker
	w.remove(w.B, "fromB")
	w.summary(w.A, "1 uploaded, 2 deleted remotely")
	w.summary(w.B, "1 deleted remotely, 2 deleted locally")
	w.summary(w.A, "1 deleted locally")
	wantDirs(t, "A", w.A, []string{"deep"}, all)
	wantDirs(t, "B", w.B, []string{"deep"}, all)
	if got := w.markers(); strings.Join(got, " ") != "deep" {
		t.Errorf("markers %q, want deep's only", got)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	out, errOut, code := runCairn(t, "--endpoint", w.b.endpoint, "restore", w.url()+"/", "--at", before.Format(time.RFC3339Nano), "--to", restored)
	if code != 0 {
		t.Fatalf("cairn restore: exit %d\n%s\n%s", code, out, errOut)
	}
	wantDirs(t, "restored", restored, all, nil)

	mountLists(t, w)
}

// runCairn runs the cairn binary with the sync tests' environment.
func runCairn(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cairnBinary(t), args...)
	cmd.Env = syncEnv()
	r := runCaptured(t, cmd)
	return r.stdout, r.stderr, r.code
}

// mountLists mounts the bucket and checks that the mount lists the
// synced empty directory, and that a directory made through the mount
// reaches folder A.
func mountLists(t *testing.T, w *syncWorld) {
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Log("no /dev/fuse: the mount is not checked")
		return
	}
	mnt := filepath.Join(t.TempDir(), "mnt")
	os.Mkdir(mnt, 0o755)
	unmountAtEnd(t, mnt)
	cmd := exec.Command(cairnBinary(t), "--endpoint", w.b.endpoint, "mount", "--staging-dir", t.TempDir(), "s3://"+w.bucket, mnt)
	cmd.Env = append(syncEnv(), "XDG_CACHE_HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cairn mount: %v\n%s", err, out)
	}
	defer func() {
		if out, err := exec.Command(cairnBinary(t), "unmount", mnt).CombinedOutput(); err != nil {
			t.Errorf("cairn unmount: %v\n%s", err, out)
		}
	}()
	shared := filepath.Join(mnt, filepath.FromSlash(strings.TrimSuffix(w.prefix, "/")))
	wantDirs(t, "the mount", shared, []string{"deep"}, []string{"fromA", "fromB"})
	if err := os.Mkdir(filepath.Join(shared, "viaMount"), 0o755); err != nil {
		t.Fatal(err)
	}
	syncEventually(t, "the marker of a directory made in the mount", func() bool {
		return strings.Contains(strings.Join(w.markers(), " "), "viaMount")
	})
	w.summary(w.A, "1 downloaded")
	wantDirs(t, "A", w.A, []string{"viaMount"}, nil)
}

// TestSyncEmptyDirsS3fs: s3fs lists an empty directory the sync carried,
// with its mode, and a directory made through s3fs reaches the folder.
func TestSyncEmptyDirsS3fs(t *testing.T) {
	s3fs := needTool(t, "s3fs")
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("no /dev/fuse")
	}
	w := newSyncWorld(t, startSyncServe(t, ""), false)
	w.seed(map[string]string{"keep.txt": "keep"})
	if err := os.Mkdir(filepath.Join(w.A, "fromA"), 0o750); err != nil {
		t.Fatal(err)
	}
	w.summary(w.A, "1 uploaded")
	mnt := filepath.Join(t.TempDir(), "mnt")
	(&server{endpoint: w.b.endpoint}).mountS3fs(t, s3fs, w.bucket, mnt, "stat_cache_expire=1")
	shared := filepath.Join(mnt, filepath.FromSlash(strings.TrimSuffix(w.prefix, "/")))
	fi, err := os.Stat(filepath.Join(shared, "fromA"))
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Fatalf("s3fs: fromA is %v (%v), want a directory with mode 0750", fi, err)
	}
	if err := os.Mkdir(filepath.Join(shared, "viaS3fs"), 0o711); err != nil {
		t.Fatal(err)
	}
	w.summary(w.A, "1 downloaded")
	fi, err = os.Stat(filepath.Join(w.A, "viaS3fs"))
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o711 {
		t.Fatalf("A: viaS3fs is %v (%v), want a directory with mode 0711", fi, err)
	}
}
