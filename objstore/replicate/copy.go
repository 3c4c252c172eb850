package replicate

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// replicate carries out one task. A *dropError ends the task without a
// retry; any other error is retried.
func (r *Replicator) replicate(ctx context.Context, t Task) error {
	cfg, err := r.config(ctx, t.Bucket)
	if isGone(err) {
		return &dropError{reason: "source bucket is gone", status: keepStatus}
	}
	if err != nil {
		return err
	}
	if cfg == nil {
		return &dropError{reason: "the bucket no longer has a replication configuration", status: StatusFailed}
	}
	if t.Kind == KindDeleteMarker {
		return r.replicateDeleteMarker(ctx, cfg, t)
	}
	return r.replicateVersion(ctx, cfg, t)
}

// replicateVersion copies a version to the destination of the rule that
// selects it now.
func (r *Replicator) replicateVersion(ctx context.Context, cfg *Config, t Task) error {
	info, err := r.inner.HeadObject(ctx, t.Bucket, t.Key, objstore.GetOptions{VersionID: t.VersionID})
	if isGone(err) {
		return &dropError{reason: "the version is gone", status: keepStatus}
	}
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	rule := cfg.Match(t.Key, info.Tags)
	if rule == nil {
		return &dropError{reason: "no rule selects the version any more", status: ""}
	}
	dst, err := ParseARN(rule.Destination.Bucket)
	if err != nil {
		return &dropError{reason: err.Error(), status: StatusFailed}
	}
	class := info.StorageClass
	if rule.Destination.StorageClass != "" {
		class = objstore.StorageClass(rule.Destination.StorageClass)
	}
	if dst.Target == "" {
		return r.copyLocal(ctx, info, dst.Bucket, class)
	}
	return r.copyRemote(ctx, info, dst, class)
}

// copyLocal copies a version to a bucket of this store (server side, no
// byte copied) and marks the replica REPLICA.
func (r *Replicator) copyLocal(ctx context.Context, info objstore.ObjectInfo, bucket string, class objstore.StorageClass) error {
	if err := r.checkVersioned(ctx, r.inner, bucket); err != nil {
		return err
	}
	out, err := r.inner.CopyObject(ctx, bucket, info.Key, objstore.CopyOptions{
		Source:            objstore.CopySource{Bucket: info.Bucket, Key: info.Key, VersionID: info.VersionID},
		MetadataDirective: objstore.MetadataCopy,
		TaggingDirective:  objstore.MetadataCopy,
		Meta:              objstore.ObjectMeta{StorageClass: class},
		Lock:              info.Lock,
		ReplicationStatus: StatusReplica,
	})
	if err != nil {
		return fmt.Errorf("copy to %s: %w", bucket, err)
	}
	_, err = r.o.Engine.UpdateVersion(ctx, bucket, info.Key, out.VersionID, func(oi *objstore.ObjectInfo) error {
		oi.ReplicationStatus = StatusReplica
		if info.Lock != (objstore.ObjectLock{}) {
			oi.Lock = info.Lock
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark replica in %s: %w", bucket, err)
	}
	return nil
}

// copyRemote streams a version to a bucket of a remote target, with its
// metadata, tags, storage class and retention.
func (r *Replicator) copyRemote(ctx context.Context, info objstore.ObjectInfo, dst Target, class objstore.StorageClass) error {
	st, err := r.remotes.get(ctx, dst.Target)
	if err != nil {
		return err
	}
	if err := r.remotes.checkVersioned(dst, func() error { return r.checkVersioned(ctx, st, dst.Bucket) }); err != nil {
		return err
	}
	obj, err := r.inner.GetObject(ctx, info.Bucket, info.Key, objstore.GetOptions{VersionID: info.VersionID})
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer obj.Body.Close()
	meta := info.ObjectMeta
	meta.StorageClass = class
	put := objstore.PutOptions{ObjectMeta: meta, Lock: info.Lock}
	if info.Lock != (objstore.ObjectLock{}) {
		// S3 takes lock headers only on a write with a digest.
		put.ContentMD5 = contentMD5(info.ETag)
	}
	if _, err := transfer.Upload(ctx, st, dst.Bucket, info.Key, obj.Body, obj.Info.Size, transfer.Options{Put: put}); err != nil {
		return fmt.Errorf("copy to %s: %w", dst, err)
	}
	return nil
}

// replicateDeleteMarker adds a delete marker at the destination of the
// rule that replicates the key's delete markers.
func (r *Replicator) replicateDeleteMarker(ctx context.Context, cfg *Config, t Task) error {
	rule := cfg.DeleteMarkerRule(t.Key)
	if rule == nil {
		return &dropError{reason: "no rule replicates the delete marker any more", status: keepStatus}
	}
	dst, err := ParseARN(rule.Destination.Bucket)
	if err != nil {
		return &dropError{reason: err.Error(), status: keepStatus}
	}
	var st objstore.Store = r.inner
	if dst.Target != "" {
		if st, err = r.remotes.get(ctx, dst.Target); err != nil {
			return err
		}
	}
	if err := r.checkVersioned(ctx, st, dst.Bucket); err != nil {
		return err
	}
	if _, err := st.DeleteObject(ctx, dst.Bucket, t.Key, objstore.DeleteOptions{}); err != nil {
		return fmt.Errorf("delete marker in %s: %w", dst, err)
	}
	return nil
}

// checkVersioned fails unless the destination bucket has versioning on:
// replicas would overwrite each other otherwise.
func (r *Replicator) checkVersioned(ctx context.Context, st objstore.Store, bucket string) error {
	state, err := st.GetBucketVersioning(ctx, bucket)
	if err != nil {
		return fmt.Errorf("destination bucket %s: %w", bucket, err)
	}
	if state != objstore.VersioningEnabled {
		return fmt.Errorf("destination bucket %s: versioning is not enabled", bucket)
	}
	return nil
}

// contentMD5 is the base64 Content-MD5 of a version whose ETag is the hex
// MD5 of its data (not of a multipart object), else empty.
func contentMD5(etag string) string {
	sum, err := hex.DecodeString(etag)
	if err != nil || len(sum) != md5.Size {
		return ""
	}
	return base64.StdEncoding.EncodeToString(sum)
}
