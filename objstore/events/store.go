package events

import (
	"context"
	"io"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Store is an objstore.Store that publishes an event after every
// successful change of an object made through it: ObjectCreated:Put,
// Copy and CompleteMultipartUpload, ObjectRemoved:Delete and
// DeleteMarkerCreated, ObjectTagging:Put and Delete. The event is
// published (and so queued durably) before the call returns. The commits
// of one key's changes and the publishing of their events are serialized
// under a lock of the key, so that events are sequenced in the order of
// the changes.
type Store struct {
	objstore.Store
	pub   Publisher
	locks keyLocks
}

// Wrap returns st publishing its changes to pub.
func Wrap(st objstore.Store, pub Publisher) *Store {
	return &Store{Store: st, pub: pub}
}

// publish sends the event name for info, described by the request ctx
// carries.
func (s *Store) publish(ctx context.Context, name, bucket, key string, info objstore.ObjectInfo) {
	e := Event{
		Name: name, Bucket: bucket, Key: key,
		Size: info.Size, ETag: info.ETag, VersionID: info.VersionID,
		Time: time.Now(),
	}
	if src, ok := SourceFrom(ctx); ok {
		e.Principal, e.SourceIP = src.Principal, src.SourceIP
		e.RequestID, e.HostID = src.RequestID, src.HostID
		e.Region, e.OwnerID = src.Region, src.OwnerID
	}
	s.pub.Publish(ctx, e)
}

// PutObject stores an object and publishes ObjectCreated:Put. The key's
// lock is taken once the body has been read, not while it streams.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	lb := &lockAtEnd{r: body, take: func() func() { return s.locks.lock(bucket, key) }}
	defer lb.release()
	info, err := s.Store.PutObject(ctx, bucket, key, lb, opts)
	if err == nil {
		lb.lockOnce()
		s.publish(ctx, ObjectCreatedPut, bucket, key, info)
	}
	return info, err
}

// CopyObject copies an object and publishes ObjectCreated:Copy.
func (s *Store) CopyObject(ctx context.Context, bucket, key string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	defer s.locks.lock(bucket, key)()
	info, err := s.Store.CopyObject(ctx, bucket, key, opts)
	if err == nil {
		s.publish(ctx, ObjectCreatedCopy, bucket, key, info)
	}
	return info, err
}

// CompleteMultipartUpload completes an upload and publishes
// ObjectCreated:CompleteMultipartUpload.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart, opts objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	defer s.locks.lock(bucket, key)()
	info, err := s.Store.CompleteMultipartUpload(ctx, bucket, key, uploadID, parts, opts)
	if err == nil {
		s.publish(ctx, ObjectCreatedCompleteMultipartUpload, bucket, key, info)
	}
	return info, err
}

// DeleteObject deletes an object and publishes ObjectRemoved:Delete, or
// ObjectRemoved:DeleteMarkerCreated when the delete added a marker.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string, opts objstore.DeleteOptions) (objstore.DeleteResult, error) {
	defer s.locks.lock(bucket, key)()
	res, err := s.Store.DeleteObject(ctx, bucket, key, opts)
	if err != nil {
		return res, err
	}
	name := ObjectRemovedDelete
	if res.DeleteMarker && opts.VersionID == "" {
		name = ObjectRemovedDeleteMarkerCreated
	}
	s.publish(ctx, name, bucket, key, objstore.ObjectInfo{VersionID: res.VersionID})
	return res, nil
}

// PutObjectTagging sets a version's tags and publishes ObjectTagging:Put.
func (s *Store) PutObjectTagging(ctx context.Context, bucket, key, versionID string, tags objstore.Tags) (string, error) {
	defer s.locks.lock(bucket, key)()
	vid, err := s.Store.PutObjectTagging(ctx, bucket, key, versionID, tags)
	if err == nil {
		s.publish(ctx, ObjectTaggingPut, bucket, key, objstore.ObjectInfo{VersionID: vid})
	}
	return vid, err
}

// DeleteObjectTagging removes a version's tags and publishes
// ObjectTagging:Delete.
func (s *Store) DeleteObjectTagging(ctx context.Context, bucket, key, versionID string) (string, error) {
	defer s.locks.lock(bucket, key)()
	vid, err := s.Store.DeleteObjectTagging(ctx, bucket, key, versionID)
	if err == nil {
		s.publish(ctx, ObjectTaggingDelete, bucket, key, objstore.ObjectInfo{VersionID: vid})
	}
	return vid, err
}
