package main

import "testing"

func TestParseLocation(t *testing.T) {
	for _, tc := range []struct {
		arg          string
		bucket, key  string
		local        string
		dirLike      bool
		child, shown string
	}{
		{"s3://b", "b", "", "", true, "s3://b/f", "s3://b"},
		{"s3://b/", "b", "", "", true, "s3://b/f", "s3://b"},
		{"s3://b/dir/", "b", "dir/", "", true, "s3://b/dir/f", "s3://b/dir/"},
		{"s3://b/dir", "b", "dir", "", false, "s3://b/dir/f", "s3://b/dir"},
		{"s3://b/a//b c", "b", "a//b c", "", false, "s3://b/a//b c/f", "s3://b/a//b c"},
		{"notes.txt", "", "", "notes.txt", false, "notes.txt/f", "notes.txt"},
		{"out/", "", "", "out/", true, "out/f", "out/"},
		{"-", "", "", "-", false, "-/f", "-"},
	} {
		l, err := parseLocation(tc.arg)
		if err != nil {
			t.Errorf("%q: %v", tc.arg, err)
			continue
		}
		if l.bucket != tc.bucket || l.key != tc.key || l.local != tc.local {
			t.Errorf("%q parsed as %+v", tc.arg, l)
		}
		if l.isDirLike() != tc.dirLike || l.child("f").String() != tc.child || l.String() != tc.shown {
			t.Errorf("%q: dir-like %v, child %q, shown %q", tc.arg, l.isDirLike(), l.child("f"), l)
		}
	}
	for _, bad := range []string{"s3://", "s3:///key", ""} {
		if _, err := parseLocation(bad); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
	if _, err := parseURL("local/path"); err == nil {
		t.Error("parseURL accepted a local path")
	}
}
