package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// copier runs the jobs of one cp command.
type copier struct {
	a    *app
	st   objstore.Store
	f    cpFlags
	bar  *progress
	opts transfer.Options
}

// copyAll copies src to dst as cp's flags say, one job after another,
// stopping at the first failure.
func copyAll(ctx context.Context, a *app, st objstore.Store, src, dst location, f cpFlags) error {
	jobs, err := planCopy(ctx, a, st, src, dst, f)
	if err != nil {
		return err
	}
	c := &copier{a: a, st: st, f: f, bar: newProgress(a, totalSize(jobs))}
	c.opts = transfer.Options{Progress: c.bar.add, VersionID: f.versionID}
	defer c.bar.clear()
	for _, j := range jobs {
		verb, err := c.copy(ctx, j)
		if err != nil {
			return err
		}
		if !j.dst.stdio() {
			c.bar.println(a.stdout, fmt.Sprintf("%s: %s to %s", verb, j.src, j.dst))
		}
	}
	return nil
}

// totalSize adds up the sizes of jobs, or is -1 when one is unknown.
func totalSize(jobs []cpJob) int64 {
	total := int64(0)
	for _, j := range jobs {
		if j.size < 0 {
			return -1
		}
		total += j.size
	}
	return total
}

// copy runs one job and names what it did.
func (c *copier) copy(ctx context.Context, j cpJob) (string, error) {
	switch {
	case j.src.stdio():
		return "upload", on(j.dst.String(), c.upload(ctx, j.dst, c.a.stdin, -1, ""))
	case !j.src.remote():
		return "upload", c.uploadFile(ctx, j)
	case j.dst.stdio():
		_, err := transfer.Download(ctx, c.st, j.src.bucket, j.src.key, c.a.stdout, c.opts)
		return "download", on(j.src.String(), err)
	case !j.dst.remote():
		return "download", c.downloadFile(ctx, j)
	}
	_, err := transfer.Copy(ctx, c.st, j.dst.bucket, j.dst.key, c.f.copyOptions(j.src), c.opts)
	return "copy", on(j.src.String(), err)
}

// upload stores r, of size bytes (-1: unknown), as dst; name is the local
// file's name, which gives the content type.
func (c *copier) upload(ctx context.Context, dst location, r io.Reader, size int64, name string) error {
	opts := c.opts
	opts.Put = c.f.putOptions(name)
	_, err := transfer.Upload(ctx, c.st, dst.bucket, dst.key, r, size, opts)
	return err
}

func (c *copier) uploadFile(ctx context.Context, j cpJob) error {
	f, err := os.Open(j.src.local)
	if err != nil {
		return on(j.src.local, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return on(j.src.local, err)
	}
	return on(j.dst.String(), c.upload(ctx, j.dst, f, fileSize(fi), j.src.local))
}

// fileSize is the size of a regular file, or -1 (unknown) for anything
// else that can be read, such as a pipe or a device.
func fileSize(fi os.FileInfo) int64 {
	if !fi.Mode().IsRegular() {
		return -1
	}
	return fi.Size()
}

// downloadFile writes the object to a local file. A new or regular
// file is written whole beside its final name and renamed into place, so
// it is never seen half written; anything else (a device, a pipe) is
// written in place. Symbolic links are followed.
func (c *copier) downloadFile(ctx context.Context, j cpJob) error {
	target := j.dst.local
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return c.downloadInPlace(ctx, j)
		}
		if real, err := filepath.EvalSymlinks(target); err == nil {
			target = real
		}
	}
	return c.downloadReplace(ctx, j, target)
}

// downloadInPlace writes the object into the existing non-regular file
// the job names.
func (c *copier) downloadInPlace(ctx context.Context, j cpJob) error {
	f, err := os.OpenFile(j.dst.local, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return on(j.dst.local, err)
	}
	if _, err := transfer.Download(ctx, c.st, j.src.bucket, j.src.key, f, c.opts); err != nil {
		f.Close()
		return on(j.src.String(), err)
	}
	return on(j.dst.local, f.Close())
}

// downloadReplace writes the object into a temporary file beside target
// and renames it to target once whole, with the object's time as mtime.
func (c *copier) downloadReplace(ctx context.Context, j cpJob, target string) (err error) {
	dir, name := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return on(j.dst.local, err)
	}
	tmp, err := os.CreateTemp(dir, "."+name+".cairn-*")
	if err != nil {
		return on(j.dst.local, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	info, err := transfer.DownloadAt(ctx, c.st, j.src.bucket, j.src.key, tmp, c.opts)
	if err != nil {
		return on(j.src.String(), err)
	}
	if err := errors.Join(tmp.Chmod(0o644), tmp.Close()); err != nil {
		return on(j.dst.local, err)
	}
	if err := os.Chtimes(tmp.Name(), info.LastModified, info.LastModified); err != nil {
		return on(j.dst.local, err)
	}
	return on(j.dst.local, os.Rename(tmp.Name(), target))
}
