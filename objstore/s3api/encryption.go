package s3api

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// encryptionConfiguration is the XML of Put/GetBucketEncryption.
type encryptionConfiguration struct {
	XMLName xml.Name         `xml:"ServerSideEncryptionConfiguration"`
	NS      string           `xml:"xmlns,attr,omitempty"`
	Rules   []encryptionRule `xml:"Rule"`
}

type encryptionRule struct {
	Default struct {
		Algorithm string `xml:"SSEAlgorithm"`
		KMSKeyID  string `xml:"KMSMasterKeyID,omitempty"`
	} `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKeyEnabled bool `xml:"BucketKeyEnabled"`
}

// putBucketEncryption serves PutBucketEncryption: the bucket's default
// encryption, which the engine applies to writes without their own.
func (s *Server) putBucketEncryption(ctx context.Context, rq *request) error {
	e, err := s.engine("PutBucketEncryption")
	if err != nil {
		return err
	}
	var cfg encryptionConfiguration
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	if len(cfg.Rules) != 1 {
		return fmt.Errorf("%d encryption rules (exactly one): %w", len(cfg.Rules), objstore.ErrMalformedXML)
	}
	r := cfg.Rules[0]
	d := sse.BucketDefault{Algorithm: r.Default.Algorithm, KMSKeyID: r.Default.KMSKeyID, BucketKeyEnabled: r.BucketKeyEnabled}
	if err := d.Validate(); err != nil {
		return err
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, sse.ConfigName, d.Encode()); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketEncryption serves GetBucketEncryption.
func (s *Server) getBucketEncryption(ctx context.Context, rq *request) error {
	e, err := s.engine("GetBucketEncryption")
	if err != nil {
		return err
	}
	doc, ok, err := e.GetBucketConfig(ctx, rq.bucket, sse.ConfigName)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s: %w", rq.bucket, sse.ErrConfigNotFound)
	}
	d, err := sse.ParseBucketDefault(doc)
	if err != nil {
		return err
	}
	var r encryptionRule
	r.Default.Algorithm, r.Default.KMSKeyID, r.BucketKeyEnabled = d.Algorithm, d.KMSKeyID, d.BucketKeyEnabled
	return writeXML(rq, encryptionConfiguration{NS: s3NS, Rules: []encryptionRule{r}})
}

// deleteBucketEncryption serves DeleteBucketEncryption.
func (s *Server) deleteBucketEncryption(ctx context.Context, rq *request) error {
	e, err := s.engine("DeleteBucketEncryption")
	if err != nil {
		return err
	}
	if err := e.DeleteBucketConfig(ctx, rq.bucket, sse.ConfigName); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}
