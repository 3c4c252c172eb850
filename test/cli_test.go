package test

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// cliLsLine matches an object line of cairn ls: date, time, size, name.
var cliLsLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+) (.+)$`)

// cliLsNames returns the names ls prints, folders as "PRE name/".
func cliLsNames(out string) []string {
	var names []string
	for _, l := range cliLines(out) {
		if m := cliLsLine.FindStringSubmatch(l); m != nil {
			names = append(names, m[2])
		} else if name, ok := strings.CutPrefix(l, strings.Repeat(" ", 27)+"PRE "); ok {
			names = append(names, "PRE "+name)
		} else if l != "" {
			names = append(names, "?"+l)
		}
	}
	return names
}

func TestCLIVersion(t *testing.T) {
	c := newCLI(t)
	out := c.ok("version")
	if !strings.HasPrefix(out, "cairn "+cliVersion+" ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("cairn version printed %q; want the build's version and %s", out, runtime.Version())
	}
}

func TestCLIHelpAndUsageErrors(t *testing.T) {
	c := newCLI(t)
	help := c.ok("--help")
	for _, cmd := range []string{"mb", "rb", "ls", "cp", "rm", "stat", "version", "--data"} {
		if !strings.Contains(help, cmd) {
			t.Errorf("cairn --help does not mention %s:\n%s", cmd, help)
		}
	}
	if out := c.ok("cp", "--help"); !strings.Contains(out, "--recursive") || !strings.Contains(out, "Examples:") {
		t.Errorf("cairn cp --help lacks flags or examples:\n%s", out)
	}
	for _, args := range [][]string{
		{"frobnicate"},
		{"mb"},
		{"cp", "a", "b"},
		{"ls", "--no-such-flag"},
		{"rm", "s3://bkt/"},
		{"mb", "s3://bucket/key"},
	} {
		if msg := c.fails(2, args...); !strings.HasPrefix(msg, "cairn: ") {
			t.Errorf("cairn %v: usage error %q does not start with cairn:", args, msg)
		}
	}
}

func TestCLIBuckets(t *testing.T) {
	c := newCLI(t)
	if out := c.ok("mb", "s3://beta"); out != "make_bucket: beta\n" {
		t.Errorf("mb printed %q", out)
	}
	c.ok("mb", "s3://alpha")
	bucketLine := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\S+)$`)
	var names []string
	for _, l := range cliLines(c.ok("ls")) {
		m := bucketLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("ls line %q is not DATE TIME NAME", l)
		}
		names = append(names, m[1])
	}
	if !slices.Equal(names, []string{"alpha", "beta"}) {
		t.Errorf("ls lists buckets %v, want [alpha beta]", names)
	}
	if msg := c.fails(1, "mb", "s3://alpha"); !strings.Contains(msg, "BucketAlreadyOwnedByYou") {
		t.Errorf("second mb: %q", msg)
	}
	if out := c.ok("rb", "s3://alpha"); out != "remove_bucket: alpha\n" {
		t.Errorf("rb printed %q", out)
	}
	if out := c.ok("ls"); strings.Contains(out, "alpha") || !strings.Contains(out, "beta") {
		t.Errorf("ls after rb alpha:\n%s", out)
	}
	if msg := c.fails(1, "ls", "s3://alpha"); msg != "cairn: ls: s3://alpha: NoSuchBucket: The specified bucket does not exist.\n" {
		t.Errorf("ls of a removed bucket: %q", msg)
	}
}

func TestCLIMbInvalidName(t *testing.T) {
	c := newCLI(t)
	msg := c.fails(1, "mb", "s3://Bad_Name")
	if !strings.HasPrefix(msg, "cairn: mb: s3://Bad_Name: ") || !strings.Contains(msg, "InvalidBucketName") {
		t.Errorf("mb of an invalid name: %q", msg)
	}
}

func TestCLICopyRoundTrip(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	c.ok("mb", "s3://bkt")
	for _, tc := range []struct {
		name  string
		size  int
		parts string
	}{
		{"small.txt", 1000, ""},
		{"big.bin", 70 << 20, "-9"}, // 70 MiB in 8 MiB parts
	} {
		src := filepath.Join(dir, tc.name)
		sum := cliRandomFile(t, src, tc.size, 1)
		url := "s3://bkt/files/" + tc.name
		if out := c.ok("cp", src, "s3://bkt/files/"); out != "upload: "+src+" to "+url+"\n" {
			t.Errorf("cp printed %q", out)
		}
		var st struct {
			Size int64
			ETag string
		}
		if err := json.Unmarshal([]byte(c.ok("stat", "--json", url)), &st); err != nil {
			t.Fatal(err)
		}
		if st.Size != int64(tc.size) || (tc.parts == "") == strings.Contains(st.ETag, "-") || !strings.HasSuffix(st.ETag, tc.parts) {
			t.Errorf("%s: stat says %d bytes, ETag %q; want %d bytes and ETag suffix %q", tc.name, st.Size, st.ETag, tc.size, tc.parts)
		}
		back := filepath.Join(dir, "back", tc.name)
		c.ok("cp", url, back)
		if cliFileSum(t, back) != sum {
			t.Errorf("%s: downloaded bytes differ from the uploaded ones", tc.name)
		}
		left, _ := filepath.Glob(filepath.Join(dir, "back", ".*"))
		if len(left) != 0 {
			t.Errorf("download left temporary files: %v", left)
		}
	}
	// An existing local directory as DST takes the object's base name.
	into := filepath.Join(dir, "into")
	if err := os.Mkdir(into, 0o755); err != nil {
		t.Fatal(err)
	}
	c.ok("cp", "s3://bkt/files/small.txt", into)
	if cliFileSum(t, filepath.Join(into, "small.txt")) != cliFileSum(t, filepath.Join(dir, "small.txt")) {
		t.Error("cp into a directory wrote the wrong bytes")
	}
	// Server-side copy.
	if out := c.ok("cp", "s3://bkt/files/small.txt", "s3://bkt/copy.txt"); out != "copy: s3://bkt/files/small.txt to s3://bkt/copy.txt\n" {
		t.Errorf("s3 to s3 cp printed %q", out)
	}
	if got := c.ok("cp", "s3://bkt/copy.txt", "-"); got != cliRead(t, filepath.Join(dir, "small.txt")) {
		t.Error("the server-side copy holds other bytes")
	}
}

func cliRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCLIStdinStdout(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	text := strings.Repeat("a line from a pipe\n", 1000)
	if out := c.okIn(strings.NewReader(text), "cp", "-", "s3://bkt/piped.txt"); out != "upload: - to s3://bkt/piped.txt\n" {
		t.Errorf("cp from stdin printed %q", out)
	}
	if got := c.ok("cp", "s3://bkt/piped.txt", "-"); got != text {
		t.Errorf("cp to stdout wrote %d bytes, want the %d piped in", len(got), len(text))
	}
}

func TestCLIRecursiveAndListing(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	src := filepath.Join(t.TempDir(), "tree")
	files := map[string][32]byte{}
	for i, rel := range []string{"a.txt", "sub/b.txt", "sub/deeper/c.bin", "subway.txt"} {
		files[rel] = cliRandomFile(t, filepath.Join(src, rel), 100*(i+1), uint64(i))
	}
	out := c.ok("cp", "--recursive", src, "s3://bkt/tree")
	if n := len(cliLines(out)); n != len(files) {
		t.Errorf("cp --recursive printed %d lines for %d files:\n%s", n, len(files), out)
	}

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"ls", "s3://bkt"}, []string{"PRE tree/"}},
		{[]string{"ls", "s3://bkt/tree/"}, []string{"PRE sub/", "a.txt", "subway.txt"}},
		{[]string{"ls", "s3://bkt/tree/sub"}, []string{"PRE sub/", "subway.txt"}},
		{[]string{"ls", "s3://bkt/tree/sub/"}, []string{"PRE deeper/", "b.txt"}},
		{[]string{"ls", "--recursive", "s3://bkt/tree/sub/"}, []string{"tree/sub/b.txt", "tree/sub/deeper/c.bin"}},
		{[]string{"ls", "-r", "s3://bkt"}, []string{"tree/a.txt", "tree/sub/b.txt", "tree/sub/deeper/c.bin", "tree/subway.txt"}},
	} {
		if got := cliLsNames(c.ok(tc.args...)); !slices.Equal(got, tc.want) {
			t.Errorf("%v lists %q, want %q", tc.args, got, tc.want)
		}
	}
	if out := c.ok("ls", "s3://bkt/tree/a.txt"); !strings.HasSuffix(out, "        100 a.txt\n") {
		t.Errorf("ls of one object prints %q; want its size right-aligned, then its name", out)
	}
	if out := c.ok("ls", "-r", "--human-readable", "s3://bkt/tree/sub/deeper/"); !strings.Contains(out, " 300 Bytes tree/sub/deeper/c.bin") {
		t.Errorf("ls --human-readable: %q", out)
	}
	if out := c.ok("ls", "--versions", "s3://bkt/tree/a.txt"); !regexp.MustCompile(` 100 null +latest a\.txt\n$`).MatchString(out) {
		t.Errorf("ls --versions: %q", out)
	}

	back := filepath.Join(t.TempDir(), "back")
	c.ok("cp", "-r", "s3://bkt/tree", back)
	for rel, sum := range files {
		if cliFileSum(t, filepath.Join(back, rel)) != sum {
			t.Errorf("%s came back with other bytes", rel)
		}
	}
}

func TestCLIRm(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	for _, k := range []string{"keep", "one", "dir/x", "dir/sub/y", "dirt"} {
		c.okIn(strings.NewReader(k), "cp", "-", "s3://bkt/"+k)
	}
	if out := c.ok("rm", "s3://bkt/one"); out != "delete: s3://bkt/one\n" {
		t.Errorf("rm printed %q", out)
	}
	out := c.ok("rm", "--recursive", "s3://bkt/dir")
	if got := cliLines(out); len(got) != 2 || !slices.Contains(got, "delete: s3://bkt/dir/x") || !slices.Contains(got, "delete: s3://bkt/dir/sub/y") {
		t.Errorf("rm --recursive printed %q", got)
	}
	if got := cliLsNames(c.ok("ls", "-r", "s3://bkt")); !slices.Equal(got, []string{"dirt", "keep"}) {
		t.Errorf("left after rm: %q, want [dirt keep]", got)
	}
	c.fails(1, "stat", "s3://bkt/one")
}

func TestCLIStat(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	body := "name,count\nx,1\n"
	c.okIn(strings.NewReader(body), "cp", "-", "s3://bkt/data.csv",
		"--content-type", "text/csv", "--metadata", "Owner=ann,project=x", "--storage-class", "STANDARD_IA")
	sum := md5.Sum([]byte(body))
	etag := hex.EncodeToString(sum[:])

	out := c.ok("stat", "s3://bkt/data.csv")
	for _, want := range []string{
		"s3://bkt/data.csv\n",
		"Size:          15\n",
		`ETag:          "` + etag + "\"\n",
		"Content-Type:  text/csv\n",
		"Storage-Class: STANDARD_IA\n",
		"Version-Id:    null\n",
		"Metadata:      owner=ann,project=x\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stat output lacks %q:\n%s", want, out)
		}
	}

	var st struct {
		URL, ETag, ContentType, StorageClass, VersionID string
		Size                                            int64
		Metadata                                        map[string]string
	}
	if err := json.Unmarshal([]byte(c.ok("stat", "--json", "s3://bkt/data.csv")), &st); err != nil {
		t.Fatal(err)
	}
	if st.URL != "s3://bkt/data.csv" || st.Size != 15 || st.ETag != etag || st.ContentType != "text/csv" ||
		st.StorageClass != "STANDARD_IA" || st.Metadata["owner"] != "ann" {
		t.Errorf("stat --json: %+v", st)
	}
}

func TestCLIRbForce(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	c.okIn(strings.NewReader("x"), "cp", "-", "s3://bkt/k")
	if msg := c.fails(1, "rb", "s3://bkt"); msg != "cairn: rb: s3://bkt: BucketNotEmpty: The bucket you tried to delete is not empty.\n" {
		t.Errorf("rb of a non-empty bucket: %q", msg)
	}
	c.ok("rb", "--force", "s3://bkt")
	if out := c.ok("ls"); out != "" {
		t.Errorf("ls after rb --force: %q", out)
	}
}

func TestCLIMissingKey(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	out := filepath.Join(t.TempDir(), "out")
	if msg := c.fails(1, "cp", "s3://bkt/nope", out); msg != "cairn: cp: s3://bkt/nope: NoSuchKey: The specified key does not exist.\n" {
		t.Errorf("cp of a missing key: %q", msg)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed cp left %s behind", out)
	}
	if msg := c.fails(1, "stat", "s3://bkt/nope"); !strings.Contains(msg, "NoSuchKey") {
		t.Errorf("stat of a missing key: %q", msg)
	}
	if msg := c.fails(1, "cp", filepath.Join(t.TempDir(), "absent"), "s3://bkt/k"); !strings.Contains(msg, "no such file or directory") {
		t.Errorf("cp of a missing file: %q", msg)
	}
}

func TestCLILockedDataDir(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	holder := c.command("cp", "-", "s3://bkt/held")
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Process.Kill(); holder.Wait() })
	// cairn reads its input only once the store is open, so once it has
	// taken in more than a pipe buffer, it holds the data directory.
	chunk := make([]byte, 1<<20)
	if _, err := stdin.Write(chunk); err != nil {
		t.Fatal(err)
	}
	msg := c.fails(1, "ls", "s3://bkt")
	if want := "data directory " + c.data + " is in use by another cairn process"; !strings.Contains(msg, want) {
		t.Errorf("second process on a held data directory: %q, want %q", msg, want)
	}
	stdin.Close()
	if err := holder.Wait(); err != nil {
		t.Fatalf("the holding cp failed: %v", err)
	}
	if out := c.ok("ls", "s3://bkt/held"); !strings.Contains(out, " 1048576 held") {
		t.Errorf("the held upload did not land whole: %q", out)
	}
}

func TestCLIProgressBarOnTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script(1) from bsdutils is needed (make deps): %v", err)
	}
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	src := filepath.Join(t.TempDir(), "f.bin")
	cliRandomFile(t, src, 3<<20, 2)
	quiet := c.runIn(nil, "cp", src, "s3://bkt/quiet")
	if quiet.code != 0 || quiet.stderr != "" {
		t.Errorf("cp off a terminal wrote to stderr (exit %d): %q", quiet.code, quiet.stderr)
	}
	line := strings.Join([]string{c.bin, "--data", c.data, "cp", src, "s3://bkt/f.bin"}, " ")
	cmd := exec.Command(script, "-qec", line, "/dev/null")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cp on a terminal: %v\n%s", err, out)
	}
	if s := string(out); !strings.Contains(s, "100%") || !strings.Contains(s, "MiB") {
		t.Errorf("cp on a terminal showed no progress bar:\n%q", s)
	}
}

func TestCLICopyThroughFifos(t *testing.T) {
	c := newCLI(t)
	c.ok("mb", "s3://bkt")
	body := strings.Repeat("through a named pipe\n", 500)
	c.okIn(strings.NewReader(body), "cp", "-", "s3://bkt/k")
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	c.ok("cp", "s3://bkt/k", fifo)
	if s := <-got; s != body {
		t.Errorf("the pipe's reader got %d bytes, want %d", len(s), len(body))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("cp replaced the named pipe: %v %v", fi.Mode(), err)
	}

	// And from a named pipe, whose size stat cannot tell.
	go os.WriteFile(fifo, []byte(body), 0o600)
	c.ok("cp", fifo, "s3://bkt/from-fifo")
	if s := c.ok("cp", "s3://bkt/from-fifo", "-"); s != body {
		t.Errorf("upload from a named pipe stored %d bytes, want %d", len(s), len(body))
	}
}
