package main

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// srcTreeName names the tree the untar workload unpacks: the Go standard
// library's net package with its tests and test data, a few hundred
// files of a few KiB.
const srcTreeName = "Go's src/net"

// buildTarball writes a tarball of $GOROOT/src/net to path and returns
// how many regular files it holds.
func buildTarball(ctx context.Context, path string) (int, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return 0, fmt.Errorf("go env GOROOT: %w", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src")
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", path, err)
	}
	n, err := writeTar(f, src, "net")
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	return n, err
}

// writeTar writes the tree root/dir to w as a tar archive of paths
// starting with dir, and returns its number of regular files.
func writeTar(w io.Writer, root, dir string) (int, error) {
	tw := tar.NewWriter(w)
	files := 0
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		files++
		return copyFile(tw, path)
	})
	if err != nil {
		return 0, fmt.Errorf("tar %s: %w", filepath.Join(root, dir), err)
	}
	if err := tw.Close(); err != nil {
		return 0, fmt.Errorf("tar %s: %w", filepath.Join(root, dir), err)
	}
	return files, nil
}

// copyFile copies the file at path to w.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
