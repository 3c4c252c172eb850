package objstore_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func TestValidateBucketName(t *testing.T) {
	valid := []string{
		"abc", "my-bucket", "my.bucket.name", "1-2", "123", strings.Repeat("a", 63),
		"192.168.5.a", "a.b-c.d", "bucket-s3", "xn-single", "sthree", "my-alias",
	}
	for _, name := range valid {
		if err := objstore.ValidateBucketName(name); err != nil {
			t.Errorf("ValidateBucketName(%q): %v", name, err)
		}
	}
	invalid := map[string]string{
		"empty":                "",
		"too short":            "ab",
		"too long":             strings.Repeat("a", 64),
		"upper case":           "MyBucket",
		"underscore":           "my_bucket",
		"space":                "my bucket",
		"slash":                "my/bucket",
		"non-ASCII":            "bücket",
		"IPv4 address":         "192.168.5.4",
		"adjacent dots":        "my..bucket",
		"leading hyphen":       "-bucket",
		"trailing hyphen":      "bucket-",
		"leading dot":          ".bucket",
		"trailing dot":         "bucket.",
		"xn-- prefix":          "xn--bucket",
		"sthree- prefix":       "sthree-bucket",
		"amzn-s3-demo- prefix": "amzn-s3-demo-bucket",
		"-s3alias suffix":      "bucket-s3alias",
		"--ol-s3 suffix":       "bucket--ol-s3",
		".mrap suffix":         "bucket.mrap",
		"--x-s3 suffix":        "bucket--x-s3",
		"--table-s3 suffix":    "bucket--table-s3",
	}
	for why, name := range invalid {
		if err := objstore.ValidateBucketName(name); !errors.Is(err, objstore.ErrInvalidBucketName) {
			t.Errorf("ValidateBucketName(%q) (%s): %v, want InvalidBucketName", name, why, err)
		}
	}
}

func TestValidateKey(t *testing.T) {
	for _, k := range []string{"a", "dir/", "日本/語", "😀", strings.Repeat("k", 1024), strings.Repeat("é", 512), " ", "a//b"} {
		if err := objstore.ValidateKey(k); err != nil {
			t.Errorf("ValidateKey(%q): %v", k, err)
		}
	}
	cases := []struct {
		key  string
		want error
	}{
		{"", objstore.ErrInvalidArgument},
		{strings.Repeat("k", 1025), objstore.ErrKeyTooLong},
		{strings.Repeat("é", 512) + "k", objstore.ErrKeyTooLong},
		{"\xff", objstore.ErrInvalidArgument},
		{"ok/\xc3", objstore.ErrInvalidArgument},
	}
	for _, c := range cases {
		if err := objstore.ValidateKey(c.key); !errors.Is(err, c.want) {
			t.Errorf("ValidateKey of %d bytes: %v, want %v", len(c.key), err, c.want)
		}
	}
}

// tags returns n distinct tags.
func tags(n int) objstore.Tags {
	t := objstore.Tags{}
	for i := range n {
		t[strings.Repeat("k", i+1)] = "v"
	}
	return t
}

func TestValidateTags(t *testing.T) {
	valid := []objstore.Tags{
		nil, tags(1), tags(10),
		{"k": ""},
		{strings.Repeat("k", 128): strings.Repeat("v", 256)},
		{strings.Repeat("é", 128): strings.Repeat("ü", 256)},
	}
	for _, tg := range valid {
		if err := objstore.ValidateTags(tg); err != nil {
			t.Errorf("ValidateTags(%d tags): %v", len(tg), err)
		}
	}
	invalid := map[string]objstore.Tags{
		"11 tags":           tags(11),
		"empty key":         {"": "v"},
		"key of 129":        {strings.Repeat("k", 129): "v"},
		"value of 257":      {"k": strings.Repeat("v", 257)},
		"key of 129 runes":  {strings.Repeat("é", 129): "v"},
		"reserved aws: key": {"aws:cloudformation": "v"},
	}
	for why, tg := range invalid {
		if err := objstore.ValidateTags(tg); !errors.Is(err, objstore.ErrInvalidTag) {
			t.Errorf("ValidateTags (%s): %v, want InvalidTag", why, err)
		}
	}
}

func TestValidateMeta(t *testing.T) {
	exact := map[string]string{"a": strings.Repeat("v", objstore.MaxUserMetadataSize-1)}
	valid := []objstore.ObjectMeta{
		{},
		{UserMetadata: exact},
		{StorageClass: "GLACIER_IR", Tags: tags(10)},
	}
	for _, m := range valid {
		if err := objstore.ValidateMeta(&m); err != nil {
			t.Errorf("ValidateMeta(%+v): %v", m.StorageClass, err)
		}
	}
	over := map[string]string{"ab": strings.Repeat("v", objstore.MaxUserMetadataSize-1)}
	cases := []struct {
		meta objstore.ObjectMeta
		want error
	}{
		{objstore.ObjectMeta{UserMetadata: over}, objstore.ErrMetadataTooLarge},
		{objstore.ObjectMeta{StorageClass: "FOO"}, objstore.ErrInvalidStorageClass},
		{objstore.ObjectMeta{Tags: tags(11)}, objstore.ErrInvalidTag},
	}
	for _, c := range cases {
		if err := objstore.ValidateMeta(&c.meta); !errors.Is(err, c.want) {
			t.Errorf("ValidateMeta: %v, want %v", err, c.want)
		}
	}
}

func TestValidateStorageClass(t *testing.T) {
	for _, c := range objstore.StorageClasses {
		if err := objstore.ValidateStorageClass(c); err != nil {
			t.Errorf("ValidateStorageClass(%s): %v", c, err)
		}
	}
	if err := objstore.ValidateStorageClass(objstore.DefaultStorageClass); err != nil {
		t.Errorf("the default class is refused: %v", err)
	}
	for _, c := range []objstore.StorageClass{"", "standard", "FOO", "STANDARD "} {
		if err := objstore.ValidateStorageClass(c); !errors.Is(err, objstore.ErrInvalidStorageClass) {
			t.Errorf("ValidateStorageClass(%q): %v, want InvalidStorageClass", c, err)
		}
	}
}
