package s3api

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
)

// lockEngine is the engine's way to turn object lock on for a bucket and
// set its default retention, checked against the bucket's versioning in
// the same step.
type lockEngine interface {
	PutObjectLockConfig(ctx context.Context, bucket string, doc []byte) error
}

// putObjectLockConfiguration serves PutObjectLockConfiguration: it sets
// the default retention of a bucket with object lock, or turns object
// lock on for a bucket whose versioning is Enabled.
func (s *Server) putObjectLockConfiguration(ctx context.Context, rq *request) error {
	if err := requireDigest(rq); err != nil {
		return err
	}
	var cfg lock.Config
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	eng, err := s.engine("PutObjectLockConfiguration")
	if err != nil {
		return err
	}
	le, ok := eng.(lockEngine)
	if !ok {
		return fmt.Errorf("PutObjectLockConfiguration: %w", objstore.ErrNotImplemented)
	}
	if err := le.PutObjectLockConfig(ctx, rq.bucket, cfg.Encode()); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getObjectLockConfiguration serves GetObjectLockConfiguration.
func (s *Server) getObjectLockConfiguration(ctx context.Context, rq *request) error {
	cfg, err := s.lockConfig(ctx, rq.bucket, lock.ErrNoConfiguration)
	if err != nil {
		return err
	}
	cfg.NS = s3NS
	return writeXML(rq, cfg)
}

// lockConfig reads a bucket's object-lock configuration; a bucket without
// object lock fails with missing.
func (s *Server) lockConfig(ctx context.Context, bucket string, missing error) (*lock.Config, error) {
	eng, err := s.engine("object lock")
	if err != nil {
		return nil, err
	}
	doc, ok, err := eng.GetBucketConfig(ctx, bucket, lock.ConfigName)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("bucket %s: %w", bucket, missing)
	}
	var cfg lock.Config
	if err := xml.Unmarshal(doc, &cfg); err != nil {
		return nil, fmt.Errorf("stored object lock configuration of %s: %v: %w", bucket, err, objstore.ErrInternal)
	}
	return &cfg, nil
}

// retention is S3's Retention document.
type retention struct {
	XMLName         xml.Name `xml:"Retention"`
	NS              string   `xml:"xmlns,attr,omitempty"`
	Mode            string   `xml:"Mode,omitempty"`
	RetainUntilDate string   `xml:"RetainUntilDate,omitempty"`
}

// legalHold is S3's LegalHold document.
type legalHold struct {
	XMLName xml.Name `xml:"LegalHold"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Status  string   `xml:"Status"`
}

// putObjectRetention serves PutObjectRetention under the rules of
// lock.CheckRetention; x-amz-bypass-governance-retention lets a GOVERNANCE
// retention be shortened or removed.
func (s *Server) putObjectRetention(ctx context.Context, rq *request) error {
	if err := requireDigest(rq); err != nil {
		return err
	}
	var doc retention
	if err := readXML(rq, &doc); err != nil {
		return err
	}
	next, err := parseRetention(doc.Mode, doc.RetainUntilDate, objstore.ErrMalformedXML)
	if err != nil {
		return err
	}
	bypass := bypassGovernance(rq)
	return s.changeLock(ctx, rq, func(l *objstore.ObjectLock) error {
		if err := lock.CheckRetention(*l, next, bypass, time.Now()); err != nil {
			return err
		}
		l.Mode, l.RetainUntil = next.Mode, next.RetainUntil
		return nil
	})
}

// getObjectRetention serves GetObjectRetention.
func (s *Server) getObjectRetention(ctx context.Context, rq *request) error {
	l, err := s.readLock(ctx, rq)
	if err != nil {
		return err
	}
	if l.Mode == "" {
		return fmt.Errorf("%s/%s: %w", rq.bucket, rq.key, lock.ErrNoObjectConfiguration)
	}
	return writeXML(rq, retention{NS: s3NS, Mode: l.Mode, RetainUntilDate: timeISO(l.RetainUntil)})
}

// putObjectLegalHold serves PutObjectLegalHold.
func (s *Server) putObjectLegalHold(ctx context.Context, rq *request) error {
	if err := requireDigest(rq); err != nil {
		return err
	}
	var doc legalHold
	if err := readXML(rq, &doc); err != nil {
		return err
	}
	on, err := parseLegalHold(doc.Status, objstore.ErrMalformedXML)
	if err != nil {
		return err
	}
	return s.changeLock(ctx, rq, func(l *objstore.ObjectLock) error {
		l.LegalHold, l.LegalHoldSet = on, true
		return nil
	})
}

// getObjectLegalHold serves GetObjectLegalHold.
func (s *Server) getObjectLegalHold(ctx context.Context, rq *request) error {
	l, err := s.readLock(ctx, rq)
	if err != nil {
		return err
	}
	if !hasLegalHold(l) {
		return fmt.Errorf("%s/%s: no legal hold: %w", rq.bucket, rq.key, lock.ErrNoObjectConfiguration)
	}
	return writeXML(rq, legalHold{NS: s3NS, Status: legalHoldStatus(l.LegalHold)})
}

// changeLock changes the lock state of the version a request names, on a
// bucket with object lock.
func (s *Server) changeLock(ctx context.Context, rq *request, change func(*objstore.ObjectLock) error) error {
	if _, err := s.lockConfig(ctx, rq.bucket, lock.ErrNotEnabled); err != nil {
		return err
	}
	eng, err := s.engine("object lock")
	if err != nil {
		return err
	}
	info, err := eng.UpdateVersion(ctx, rq.bucket, rq.key, rq.query.Get("versionId"), func(oi *objstore.ObjectInfo) error {
		return change(&oi.Lock)
	})
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), info.VersionID)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// errReadOnly ends an UpdateVersion that only reads.
var errReadOnly = errors.New("read only")

// readLock reads the lock state of the version a request names, on a
// bucket with object lock.
func (s *Server) readLock(ctx context.Context, rq *request) (objstore.ObjectLock, error) {
	if _, err := s.lockConfig(ctx, rq.bucket, lock.ErrNotEnabled); err != nil {
		return objstore.ObjectLock{}, err
	}
	eng, err := s.engine("object lock")
	if err != nil {
		return objstore.ObjectLock{}, err
	}
	var l objstore.ObjectLock
	_, err = eng.UpdateVersion(ctx, rq.bucket, rq.key, rq.query.Get("versionId"), func(oi *objstore.ObjectInfo) error {
		l = oi.Lock
		return errReadOnly
	})
	if err != nil && !errors.Is(err, errReadOnly) {
		return l, err
	}
	return l, nil
}
