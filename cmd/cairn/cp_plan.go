package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// cpJob is one file or object cp copies, and its size (-1: unknown).
type cpJob struct {
	src, dst location
	size     int64
}

// planCopy lists what copying src to dst means: one job, or one per file
// or object of a tree with --recursive.
func planCopy(ctx context.Context, a *app, st objstore.Store, src, dst location, f cpFlags) ([]cpJob, error) {
	switch {
	case f.recursive && src.remote():
		return planRemoteTree(ctx, a, st, src, dst)
	case f.recursive:
		return planLocalTree(a, src, dst)
	}
	j, err := planOne(ctx, st, src, dst, f)
	return []cpJob{j}, err
}

// planOne resolves the copy of one file, object or stream.
func planOne(ctx context.Context, st objstore.Store, src, dst location, f cpFlags) (cpJob, error) {
	j := cpJob{src: src, dst: dst, size: -1}
	switch {
	case src.stdio():
		return j, nil
	case src.remote():
		info, err := st.HeadObject(ctx, src.bucket, src.key, objstore.GetOptions{VersionID: f.versionID})
		if err != nil {
			return j, on(src.String(), err)
		}
		j.size = info.Size
	default:
		fi, err := os.Stat(src.local)
		if err != nil {
			return j, on(src.local, err)
		}
		if fi.IsDir() {
			return j, usagef("%s is a directory (use --recursive)", src.local)
		}
		j.size = fileSize(fi)
	}
	if !dst.stdio() && (dst.isDirLike() || isLocalDir(dst)) {
		j.dst = dst.child(src.base())
	}
	return j, nil
}

func isLocalDir(l location) bool {
	if l.remote() {
		return false
	}
	fi, err := os.Stat(l.local)
	return err == nil && fi.IsDir()
}

// planLocalTree lists the regular files under the directory src (through
// symbolic links to files) as copies to the same relative keys under dst.
func planLocalTree(a *app, src, dst location) ([]cpJob, error) {
	if fi, err := os.Stat(src.local); err != nil {
		return nil, on(src.local, err)
	} else if !fi.IsDir() {
		return nil, usagef("%s is not a directory", src.local)
	}
	var jobs []cpJob
	err := filepath.WalkDir(src.local, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			a.warnf("skipping %s: not a regular file", p)
			return nil
		}
		rel, err := filepath.Rel(src.local, p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		jobs = append(jobs, cpJob{location{local: p}, dst.child(filepath.ToSlash(rel)), fi.Size()})
		return nil
	})
	return jobs, err
}

// planRemoteTree lists the objects under the prefix src as copies to the
// same relative names under dst. Folder markers (keys ending in "/") are
// left out, and so are keys that would land outside a local dst.
func planRemoteTree(ctx context.Context, a *app, st objstore.Store, src, dst location) ([]cpJob, error) {
	prefix := src.dirPrefix()
	var jobs []cpJob
	for o, err := range transfer.Objects(ctx, st, src.bucket, objstore.ListOptions{Prefix: prefix}) {
		if err != nil {
			return nil, on(src.String(), err)
		}
		rel := strings.TrimPrefix(o.Key, prefix)
		from := location{bucket: src.bucket, key: o.Key}
		if rel == "" || strings.HasSuffix(rel, "/") {
			continue
		}
		if !dst.remote() && !filepath.IsLocal(filepath.FromSlash(rel)) {
			a.warnf("skipping %s: its key is not a path inside %s", from, dst)
			continue
		}
		jobs = append(jobs, cpJob{from, dst.child(rel), o.Size})
	}
	return jobs, nil
}
