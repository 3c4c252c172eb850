package s3client_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// TestListWithMetadata lists with WithMetadata from cairn serve, which
// answers metadata=true: every object carries its user metadata (none
// for an object stored without) and content type, names with spaces
// and slashes included; a plain listing carries none.
func TestListWithMetadata(t *testing.T) {
	srv := startServer(t, serverConfig{})
	s := openClient(t, s3client.Options{Endpoint: srv.URL, PathStyle: true})
	ctx := t.Context()
	mustBucket(t, s, "meta")
	objects := map[string]map[string]string{
		"dir/a file.txt": {"mode": "33188", "uid": "1000", "mtime": "1700000000"},
		"dir/plain":      nil,
		"dir/x&y<z>":     {"gid": "5"},
	}
	for key, meta := range objects {
		po := objstore.PutOptions{Size: 2, ObjectMeta: objstore.ObjectMeta{ContentType: "text/plain", UserMetadata: meta}}
		if _, err := s.PutObject(ctx, "meta", key, strings.NewReader("hi"), po); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.ListObjects(ctx, "meta", objstore.ListOptions{Prefix: "dir/", WithMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.WithMetadata || len(res.Objects) != 3 {
		t.Fatalf("listing with metadata: WithMetadata %v, %d objects", res.WithMetadata, len(res.Objects))
	}
	for _, o := range res.Objects {
		want := objects[o.Key]
		if want == nil {
			want = map[string]string{}
		}
		if !maps.Equal(o.UserMetadata, want) || o.ContentType != "text/plain" {
			t.Errorf("%s listed with metadata %v and type %q, want %v and text/plain", o.Key, o.UserMetadata, o.ContentType, want)
		}
	}
	plain, err := s.ListObjects(ctx, "meta", objstore.ListOptions{Prefix: "dir/"})
	if err != nil {
		t.Fatal(err)
	}
	if plain.WithMetadata || len(plain.Objects) != 3 || plain.Objects[0].UserMetadata != nil {
		t.Errorf("plain listing: WithMetadata %v, first object's metadata %v", plain.WithMetadata, plain.Objects[0].UserMetadata)
	}
}
