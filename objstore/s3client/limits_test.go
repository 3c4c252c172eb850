package s3client_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// TestPartNumbersBeyondInt32 refuses part numbers that S3's 32-bit field
// would wrap around to a valid one (2^32+1 to 1), rather than reading or
// replacing the wrong part.
func TestPartNumbersBeyondInt32(t *testing.T) {
	srv := startServer(t, serverConfig{})
	s := openClient(t, s3client.Options{Endpoint: srv.URL})
	ctx := t.Context()
	mustBucket(t, s, "parts")
	id, err := s.CreateMultipartUpload(ctx, "parts", "mp", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const wrapped = 1<<32 + 1
	_, err = s.UploadPart(ctx, "parts", "mp", id, wrapped, strings.NewReader("x"), objstore.PartOptions{Size: 1})
	if !errors.Is(err, objstore.ErrInvalidArgument) {
		t.Fatalf("upload part %d: %v, want InvalidArgument", wrapped, err)
	}
	parts, err := s.ListParts(ctx, "parts", "mp", id, objstore.ListPartsOptions{})
	if err != nil || len(parts.Parts) != 0 {
		t.Fatalf("parts after a refused upload: %+v, %v", parts.Parts, err)
	}
	if _, err := s.PutObject(ctx, "parts", "k", strings.NewReader("x"), objstore.PutOptions{Size: 1}); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetObject(ctx, "parts", "k", objstore.GetOptions{PartNumber: wrapped})
	if !errors.Is(err, objstore.ErrInvalidArgument) {
		t.Fatalf("get part %d: %v, want InvalidArgument", wrapped, err)
	}
}
