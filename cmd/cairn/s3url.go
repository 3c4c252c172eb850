package main

import (
	"path"
	"path/filepath"
	"strings"
)

// location is a command argument: an object URL (s3://bucket/key), a
// local path, or "-" for standard input or output.
type location struct {
	bucket, key string // of an s3:// URL
	local       string // a local path, when bucket is empty
}

const s3Scheme = "s3://"

// parseLocation reads an argument. An s3:// URL must name a bucket; its
// key may be empty, a prefix ending in "/", or a whole key.
func parseLocation(arg string) (location, error) {
	rest, ok := strings.CutPrefix(arg, s3Scheme)
	if !ok {
		if arg == "" {
			return location{}, usagef("empty path")
		}
		return location{local: arg}, nil
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return location{}, usagef("%s: no bucket name in URL", arg)
	}
	return location{bucket: bucket, key: key}, nil
}

// parseURL reads an argument that must be an s3:// URL.
func parseURL(arg string) (location, error) {
	loc, err := parseLocation(arg)
	if err == nil && !loc.remote() {
		return loc, usagef("%s: not an s3:// URL", arg)
	}
	return loc, err
}

func (l location) remote() bool { return l.bucket != "" }
func (l location) stdio() bool  { return l.local == "-" }

// String is the location as a user writes it.
func (l location) String() string {
	switch {
	case l.remote() && l.key == "":
		return s3Scheme + l.bucket
	case l.remote():
		return s3Scheme + l.bucket + "/" + l.key
	}
	return l.local
}

// isDirLike tells whether the location names a folder rather than a file
// by its spelling alone: a bucket, a key or a path ending in "/".
func (l location) isDirLike() bool {
	if l.remote() {
		return l.key == "" || strings.HasSuffix(l.key, "/")
	}
	return strings.HasSuffix(l.local, "/") || strings.HasSuffix(l.local, string(filepath.Separator))
}

// dirPrefix is the key prefix of the folder an s3:// location names: its
// key with a "/" appended unless empty or already there.
func (l location) dirPrefix() string {
	if l.key == "" || strings.HasSuffix(l.key, "/") {
		return l.key
	}
	return l.key + "/"
}

// child is the location of name inside the folder l names, name being
// "/"-separated.
func (l location) child(name string) location {
	if l.remote() {
		return location{bucket: l.bucket, key: l.dirPrefix() + name}
	}
	return location{local: filepath.Join(l.local, filepath.FromSlash(name))}
}

// base is the last element of the location's key or path.
func (l location) base() string {
	if l.remote() {
		return path.Base(l.key)
	}
	return filepath.Base(l.local)
}
