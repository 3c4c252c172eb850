package transfer_test

import (
	"bytes"
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

func TestCopy(t *testing.T) {
	for _, n := range []int{1000, 12 * mib} {
		st := newStore(t)
		ctx := context.Background()
		data := randomBytes(n, 6)
		opts := small()
		opts.Put.ObjectMeta = objstore.ObjectMeta{
			ContentType:  "image/png",
			UserMetadata: map[string]string{"color": "blue"},
			Tags:         objstore.Tags{"project": "x"},
		}
		if _, err := transfer.Upload(ctx, st, "bkt", "src", bytes.NewReader(data), int64(n), opts); err != nil {
			t.Fatal(err)
		}
		var got counter
		opts = small()
		opts.Progress = got.add
		co := objstore.CopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "src"}}
		info, err := transfer.Copy(ctx, st, "bkt", "dst", co, opts)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if multipart := strings.HasSuffix(info.ETag, "-3"); multipart != (n > 6*mib) {
			t.Errorf("%d bytes: ETag %q", n, info.ETag)
		}
		if !bytes.Equal(readObject(t, st, "dst"), data) || got.n.Load() != int64(n) {
			t.Errorf("%d bytes: copy differs, or progress told of %d bytes", n, got.n.Load())
		}
		head, err := st.HeadObject(ctx, "bkt", "dst", objstore.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tags, _, err := st.GetObjectTagging(ctx, "bkt", "dst", "")
		if err != nil {
			t.Fatal(err)
		}
		if head.ContentType != "image/png" || head.UserMetadata["color"] != "blue" || tags["project"] != "x" {
			t.Errorf("%d bytes: copy has type %q, metadata %v, tags %v; want the source's", n, head.ContentType, head.UserMetadata, tags)
		}
		noUploadsLeft(t, st)
	}
}

func TestCopyReplacesMetadata(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	put(t, st, "src", randomBytes(12*mib, 7))
	co := objstore.CopyOptions{
		Source:            objstore.CopySource{Bucket: "bkt", Key: "src"},
		MetadataDirective: objstore.MetadataReplace,
		Meta:              objstore.ObjectMeta{ContentType: "text/csv", UserMetadata: map[string]string{"a": "1"}, StorageClass: "STANDARD_IA"},
	}
	if _, err := transfer.Copy(ctx, st, "bkt", "dst", co, small()); err != nil {
		t.Fatal(err)
	}
	head, err := st.HeadObject(ctx, "bkt", "dst", objstore.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if head.ContentType != "text/csv" || !maps.Equal(head.UserMetadata, map[string]string{"a": "1"}) || head.StorageClass != "STANDARD_IA" {
		t.Errorf("copy has type %q, metadata %v, class %q", head.ContentType, head.UserMetadata, head.StorageClass)
	}
}
