package mount

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// mmapChildEnv names the file the child process of TestSharedMmapWrite
// writes through a shared mapping.
const mmapChildEnv = "CAIRN_MOUNT_MMAP_CHILD"

// TestSharedMmapWrite has another process write through a shared
// writable mapping of a file of the mount; the bytes are stored once it
// unmaps and closes the file. (The writer is another process so that
// this one never holds a file of its own mount when it exits.)
func TestSharedMmapWrite(t *testing.T) {
	if p := os.Getenv(mmapChildEnv); p != "" {
		if err := mmapWrite(p); err != nil {
			t.Fatal(err)
		}
		return
	}
	st := newStore(t)
	put(t, st, "m", "aaaaaaaaaa", nil)
	fsys, dir := mountStore(t, st, Options{})
	cmd := exec.Command(os.Args[0], "-test.run=^TestSharedMmapWrite$")
	cmd.Env = append(os.Environ(), mmapChildEnv+"="+filepath.Join(dir, "m"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	settle(t, fsys)
	if b, _ := get(t, st, "m"); string(b) != "aaXYZaaaaa" {
		t.Errorf("stored %q", b)
	}
}

// mmapWrite writes "XYZ" at offset 2 of path through a shared mapping.
func mmapWrite(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	mem, err := syscall.Mmap(int(f.Fd()), 0, 10, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return err
	}
	copy(mem[2:], "XYZ")
	if err := syscall.Munmap(mem); err != nil {
		return err
	}
	return f.Close()
}
