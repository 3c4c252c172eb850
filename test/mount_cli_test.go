package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// needFUSE skips a test where no FUSE device exists.
func needFUSE(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("no /dev/fuse")
	}
}

// mounted tells whether dir is a mount point now.
func mounted(dir string) bool {
	data, _ := os.ReadFile("/proc/self/mountinfo")
	return strings.Contains(string(data), " "+dir+" ")
}

// unmountAtEnd makes sure dir is unmounted when the test ends: a lazy
// unmount if the test left it mounted.
func unmountAtEnd(t *testing.T, dir string) {
	t.Cleanup(func() {
		if mounted(dir) {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
}

// TestMountCommand mounts the embedded store in the background with
// cairn mount, works in it with coreutils, unmounts with cairn unmount and
// finds the files in the store; then mounts again through the mount.cairn
// helper, the way mount -t cairn and fstab run it.
func TestMountCommand(t *testing.T) {
	needFUSE(t)
	bin := cairnBinary(t)
	data, mnt, stage := t.TempDir(), filepath.Join(t.TempDir(), "mnt"), t.TempDir()
	os.Mkdir(mnt, 0o755)
	unmountAtEnd(t, mnt)
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(bin, "--data", data, "mb", "s3://mnt-demo")
	out := run(bin, "--data", data, "mount", "--staging-dir", stage, "s3://mnt-demo", mnt)
	if !strings.Contains(out, "mounted s3://mnt-demo on "+mnt) || !mounted(mnt) {
		t.Fatalf("cairn mount returned %q and the mount is there: %v", out, mounted(mnt))
	}
	run("mkdir", "-p", filepath.Join(mnt, "a/b"))
	run("cp", "/etc/os-release", filepath.Join(mnt, "a/b/os-release"))
	run("sh", "-c", "echo one >> "+filepath.Join(mnt, "log.txt")+" && echo two >> "+filepath.Join(mnt, "log.txt"))
	run(bin, "unmount", mnt)
	if mounted(mnt) {
		t.Fatal("still mounted after cairn unmount")
	}
	// The mount process may still be closing the store: wait for its lock.
	waitUnlocked(t, bin, data)
	if got := run(bin, "--data", data, "cp", "s3://mnt-demo/log.txt", "-"); got != "one\ntwo\n" {
		t.Fatalf("log.txt in the store holds %q", got)
	}
	want, _ := os.ReadFile("/etc/os-release")
	if got := run(bin, "--data", data, "cp", "s3://mnt-demo/a/b/os-release", "-"); got != string(want) {
		t.Fatal("file copied into the mount differs in the store")
	}

	helper := filepath.Join(t.TempDir(), "mount.cairn")
	if err := os.Symlink(bin, helper); err != nil {
		t.Fatal(err)
	}
	env := "XDG_CACHE_HOME=" + t.TempDir()
	cmd := exec.Command(helper, "mnt-demo", mnt, "-o", "ro,_netdev,data="+data+",staging_dir="+stage)
	cmd.Env = append(os.Environ(), env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mount.cairn: %v\n%s", err, out)
	}
	if got, err := os.ReadFile(filepath.Join(mnt, "log.txt")); err != nil || string(got) != "one\ntwo\n" {
		t.Fatalf("read through the mount.cairn mount: %q %v", got, err)
	}
	if err := os.WriteFile(filepath.Join(mnt, "nope"), []byte("x"), 0o644); err == nil {
		t.Fatal("wrote into a mount made with -o ro")
	}
	run(bin, "unmount", mnt)
}

// waitUnlocked waits until the data directory's lock is free (a command
// on it no longer fails with "in use").
func waitUnlocked(t *testing.T, bin, data string) {
	t.Helper()
	for range 200 {
		out, err := exec.Command(bin, "--data", data, "ls").CombinedOutput()
		if err == nil {
			return
		}
		if !strings.Contains(string(out), "in use") {
			t.Fatalf("cairn ls: %v %s", err, out)
		}
		exec.Command("sleep", "0.05").Run()
	}
	t.Fatal("data directory still locked 10 s after unmount")
}
