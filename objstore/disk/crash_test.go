package disk

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// crashDirEnv names the data directory the child process writes in.
const crashDirEnv = "CAIRN_DISK_CRASH_DIR"

// crashBody is the body of the i-th write of the child: sizes cycle over
// inline, single-file and larger objects.
func crashBody(i int) []byte {
	return randBytes([]int{100, 200 << 10, 2 << 20}[i%3], uint64(i)+1000)
}

// TestCrashLeavesOldOrNewVersion kills a process at some moment while it
// overwrites objects, then reopens its data directory: every object must
// read back whole, as a version no older than the last write the process
// saw succeed, and the sweep must leave no unreferenced data file.
func TestCrashLeavesOldOrNewVersion(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashLeavesOldOrNewVersion$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int{} // key → index of its last acknowledged write
	sc := bufio.NewScanner(out)
	for n := 0; n < 40 && sc.Scan(); {
		var i int
		var key string
		if _, err := fmt.Sscanf(sc.Text(), "ok %d %s", &i, &key); err == nil {
			acked[key] = i
			n++
		}
	}
	cmd.Process.Kill()
	io.Copy(io.Discard, out)
	cmd.Wait()
	if len(acked) == 0 {
		t.Fatal("the child acknowledged no write")
	}

	s := openTest(t, dir, Options{})
	for key, last := range acked {
		obj, err := s.GetObject(context.Background(), "crash", key, objstore.GetOptions{})
		if err != nil {
			t.Fatalf("%s after the crash: %v", key, err)
		}
		body, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		sum := md5.Sum(body)
		if hex.EncodeToString(sum[:]) != obj.Info.ETag {
			t.Fatalf("%s: torn object: %d bytes whose md5 is not its etag", key, len(body))
		}
		if i := writeIndex(key, body, last); i < 0 {
			t.Fatalf("%s: holds no write at or after the acknowledged write %d", key, last)
		}
	}
	waitSweep(s)
	checkNoOrphans(t, s, dir)
}

// writeIndex finds which write of key (at or after last) body is.
func writeIndex(key string, body []byte, last int) int {
	for i := last; i < last+8*4; i += 4 {
		if bytes.Equal(crashBody(i), body) {
			return i
		}
	}
	return -1
}

// crashChild overwrites four keys round robin until it is killed,
// printing each write it saw succeed.
func crashChild(dir string) {
	s, err := Open(dir, Options{Logger: quiet()})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	s.CreateBucket(ctx, "crash", objstore.CreateBucketOptions{})
	for i := 0; ; i++ {
		key := fmt.Sprintf("k%d", i%4)
		data := crashBody(i)
		if _, err := s.PutObject(ctx, "crash", key, bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data))}); err != nil {
			fmt.Println("put:", err)
			os.Exit(1)
		}
		fmt.Printf("ok %d %s\n", i, key)
	}
}

// checkNoOrphans fails if a data file is not referenced by a version or
// a part.
func checkNoOrphans(t *testing.T, s *Store, dir string) {
	t.Helper()
	ids := map[fileID]struct{}{}
	for _, path := range dataFiles(t, dir) {
		name := path[strings.LastIndexByte(path, '/')+1:]
		if id, ok := parseFileID(name); ok {
			ids[id] = struct{}{}
		}
	}
	n := len(ids)
	if err := s.dropReferenced(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 0 {
		t.Fatalf("%d of %d data files are referenced by nothing after the sweep", len(ids), n)
	}
}
