package disk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// listAll pages through a listing and returns its keys and common
// prefixes in the order they came.
func listAll(t *testing.T, s *Store, bucket string, opts objstore.ListOptions) []string {
	t.Helper()
	var out []string
	for page := 0; ; page++ {
		res, err := s.ListObjects(context.Background(), bucket, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Objects {
			out = append(out, o.Key)
		}
		for _, p := range res.CommonPrefixes {
			out = append(out, p)
		}
		if n := len(res.Objects) + len(res.CommonPrefixes); n > pageSize(opts.MaxKeys) {
			t.Fatalf("page of %d entries", n)
		}
		if !res.IsTruncated {
			return out
		}
		if page > 10000 {
			t.Fatal("listing does not end")
		}
		opts.ContinuationToken = res.NextContinuationToken
	}
}

func TestListDelimiterAndPaging(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "lst")
	keys := []string{"a", "a\x00z", "a/1", "a/2", "a/b/3", "ab", "b/1", "b/2", "c", "c::d::e", "c::f"}
	for _, k := range keys {
		put(t, s, "lst", k, []byte(k))
	}
	cases := []struct {
		opts objstore.ListOptions
		want []string
	}{
		{objstore.ListOptions{}, keys},
		{objstore.ListOptions{MaxKeys: 2}, keys},
		{objstore.ListOptions{Delimiter: "/"}, []string{"a", "a\x00z", "ab", "c", "c::d::e", "c::f", "a/", "b/"}},
		{objstore.ListOptions{Delimiter: "/", MaxKeys: 1}, []string{"a", "a\x00z", "a/", "ab", "b/", "c", "c::d::e", "c::f"}},
		{objstore.ListOptions{Prefix: "a/", Delimiter: "/"}, []string{"a/1", "a/2", "a/b/"}},
		{objstore.ListOptions{Delimiter: "::", MaxKeys: 3}, []string{"a", "a\x00z", "a/1", "a/2", "a/b/3", "ab", "b/1", "b/2", "c", "c::"}},
		{objstore.ListOptions{StartAfter: "a/2"}, keys[4:]},
		{objstore.ListOptions{Prefix: "zzz"}, nil},
	}
	for _, c := range cases {
		if got := listAll(t, s, "lst", c.opts); !slices.Equal(got, c.want) {
			t.Errorf("list %+v:\n got %q\nwant %q", c.opts, got, c.want)
		}
	}
	if _, err := s.ListObjects(context.Background(), "lst", objstore.ListOptions{ContinuationToken: "%%%"}); !errors.Is(err, objstore.ErrInvalidContinuationToken) {
		t.Errorf("garbled token: %v", err)
	}
	if _, err := s.ListObjects(context.Background(), "lst", objstore.ListOptions{MaxKeys: -1}); !errors.Is(err, objstore.ErrInvalidMaxKeys) {
		t.Errorf("negative max-keys: %v", err)
	}
}

func TestListManyKeysUnderPrefixes(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "many")
	var keys []string
	for d := range 3 {
		for i := range 1100 {
			keys = append(keys, fmt.Sprintf("dir%d/file%05d", d, i))
		}
	}
	keys = append(keys, "top")
	err := parallel(len(keys), 32, func(i int) error {
		_, err := s.PutObject(context.Background(), "many", keys[i], bytes.NewReader(nil), objstore.PutOptions{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := listAll(t, s, "many", objstore.ListOptions{})
	if !slices.Equal(got, keys) {
		t.Fatalf("full listing: %d keys, want %d", len(got), len(keys))
	}
	res, err := s.ListObjects(context.Background(), "many", objstore.ListOptions{Delimiter: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.CommonPrefixes, []string{"dir0/", "dir1/", "dir2/"}) || len(res.Objects) != 1 || res.IsTruncated {
		t.Fatalf("folders: %+v", res)
	}
}

func TestListVersionsPaging(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "lvb")
	if err := s.PutBucketVersioning(ctx, "lvb", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, k := range []string{"a", "b", "c"} {
		var ids []string
		for i := range 3 {
			ids = append(ids, put(t, s, "lvb", k, []byte{byte(i)}).VersionID)
		}
		for i := len(ids) - 1; i >= 0; i-- {
			want = append(want, k+"@"+ids[i])
		}
	}
	for _, max := range []int{1, 2, 4, 1000} {
		var got []string
		latest := 0
		opts := objstore.ListVersionsOptions{MaxKeys: max}
		for {
			res, err := s.ListObjectVersions(ctx, "lvb", opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Versions {
				got = append(got, v.Key+"@"+v.VersionID)
				if v.IsLatest {
					latest++
				}
			}
			if !res.IsTruncated {
				break
			}
			opts.KeyMarker, opts.VersionIDMarker = res.NextKeyMarker, res.NextVersionIDMarker
		}
		if !slices.Equal(got, want) || latest != 3 {
			t.Errorf("max %d: got %v (%d latest), want %v", max, got, latest, want)
		}
	}
	res, err := s.ListObjectVersions(ctx, "lvb", objstore.ListVersionsOptions{KeyMarker: "a"})
	if err != nil || len(res.Versions) != 6 || res.Versions[0].Key != "b" {
		t.Fatalf("key marker alone: %+v, %v", res, err)
	}
}
