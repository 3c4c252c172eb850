package test

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// checkUploads checks the in-progress multipart uploads: each was created
// and never aborted or completed, lists only announced parts and every
// acked one, and its parts' bytes are the announced ones. To read those
// bytes it completes the upload, reads each part's range back and then
// deletes that version for good, so every upload is gone afterwards.
func (v *crashVerifier) checkUploads(ctx context.Context) error {
	ups, err := listAllUploads(ctx, v.st)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, u := range ups {
		seen[u.UploadID] = true
		if err := v.checkUpload(ctx, u); err != nil {
			return err
		}
	}
	for id, u := range v.h.uploads {
		if u.state != uploadOpen || seen[id] {
			continue
		}
		if op := v.op; op != nil && op.ev.verb == verbABegin && op.ev.uploadID == id {
			u.state = uploadAborted // the abort in flight committed
			v.landed = true
			v.stats.landed++
			continue
		}
		return fmt.Errorf("upload %s of %q is lost: its create returned and it was never aborted or completed", id, u.key)
	}
	return nil
}

// checkUpload checks one listed upload and then removes it.
func (v *crashVerifier) checkUpload(ctx context.Context, u objstore.UploadInfo) error {
	rec, err := v.uploadRecord(u)
	if err != nil {
		return err
	}
	parts, err := listAllParts(ctx, v.st, u.Key, u.UploadID)
	if err != nil {
		return err
	}
	if err := checkPartList(u, rec, parts); err != nil {
		return err
	}
	v.notePartLanded(u.UploadID, rec, parts)
	if len(parts) == 0 {
		if err := v.st.AbortMultipartUpload(ctx, crashBucket, u.Key, u.UploadID); err != nil {
			return fmt.Errorf("abort empty upload %s of %q: %w", u.UploadID, u.Key, err)
		}
		rec.state = uploadGone
		return nil
	}
	return v.readParts(ctx, u, rec, parts)
}

// notePartLanded records that the part upload in flight at the kill
// committed, when the upload lists it although its upload never returned.
func (v *crashVerifier) notePartLanded(id string, rec *crashUpload, parts []objstore.PartInfo) {
	op := v.op
	if op == nil || v.landed || op.ev.verb != verbPart || op.ev.uploadID != id {
		return
	}
	for _, p := range parts {
		if _, acked := rec.acked[p.PartNumber]; p.PartNumber == op.ev.part && !acked {
			v.landed = true
			v.stats.landed++
		}
	}
}

// uploadRecord finds the history of a listed upload; an upload that the
// history lacks must be the create in flight at the kill.
func (v *crashVerifier) uploadRecord(u objstore.UploadInfo) (*crashUpload, error) {
	rec := v.h.uploads[u.UploadID]
	if rec == nil {
		op := v.op
		if op == nil || v.landed || op.ev.verb != verbMBegin || op.ev.key != u.Key {
			return nil, fmt.Errorf("upload %s of %q is listed but was never created (in flight: %+v)", u.UploadID, u.Key, op)
		}
		rec = newCrashUpload(u.Key)
		v.h.uploads[u.UploadID] = rec
		v.landed = true
		v.stats.landed++
	}
	if rec.key != u.Key {
		return nil, fmt.Errorf("upload %s listed under %q, created for %q", u.UploadID, u.Key, rec.key)
	}
	switch rec.state {
	case uploadAborted:
		return nil, fmt.Errorf("upload %s of %q is listed after its abort returned", u.UploadID, u.Key)
	case uploadCompleted:
		return nil, fmt.Errorf("upload %s of %q is listed after it was completed", u.UploadID, u.Key)
	case uploadGone:
		return nil, fmt.Errorf("upload %s of %q is listed again after it was removed", u.UploadID, u.Key)
	}
	return rec, nil
}

// checkPartList checks that an upload lists only announced parts, at the
// announced size, and every part whose upload returned, with its ETag.
func checkPartList(u objstore.UploadInfo, rec *crashUpload, parts []objstore.PartInfo) error {
	listed := map[int]bool{}
	for _, p := range parts {
		listed[p.PartNumber] = true
		want, ok := rec.parts[p.PartNumber]
		if !ok {
			return fmt.Errorf("upload %s of %q lists part %d, which was never uploaded", u.UploadID, u.Key, p.PartNumber)
		}
		if p.Size != want.size {
			return fmt.Errorf("upload %s of %q lists part %d with %d bytes, uploaded with %d", u.UploadID, u.Key, p.PartNumber, p.Size, want.size)
		}
		if etag, acked := rec.acked[p.PartNumber]; acked && etag != p.ETag {
			return fmt.Errorf("upload %s of %q lists part %d with ETag %s, its upload returned %s", u.UploadID, u.Key, p.PartNumber, p.ETag, etag)
		}
	}
	for n := range rec.acked {
		if !listed[n] {
			return fmt.Errorf("upload %s of %q lost part %d, whose upload returned", u.UploadID, u.Key, n)
		}
	}
	return nil
}

// readParts completes the upload with its listed parts, checks each
// part's bytes through a ranged read, and deletes the resulting version.
func (v *crashVerifier) readParts(ctx context.Context, u objstore.UploadInfo, rec *crashUpload, parts []objstore.PartInfo) error {
	done := make([]objstore.CompletedPart, len(parts))
	for i, p := range parts {
		done[i] = objstore.CompletedPart{PartNumber: p.PartNumber, ETag: p.ETag}
	}
	info, err := v.st.CompleteMultipartUpload(ctx, crashBucket, u.Key, u.UploadID, done, objstore.CompleteOptions{})
	if err != nil {
		return fmt.Errorf("complete leftover upload %s of %q to read its parts: %w", u.UploadID, u.Key, err)
	}
	rec.state = uploadGone
	var off int64
	for _, p := range parts {
		rng := &objstore.Range{First: off, Last: off + p.Size - 1}
		sum, n, _, err := readObject(ctx, v.st, u.Key, objstore.GetOptions{VersionID: info.VersionID, Range: rng})
		if err != nil {
			return fmt.Errorf("part %d of leftover upload %s: %w", p.PartNumber, u.UploadID, err)
		}
		if want := rec.parts[p.PartNumber]; sum != want.sha || n != want.size {
			return fmt.Errorf("part %d of leftover upload %s of %q holds %d bytes, sha256 %s; uploaded %d bytes, sha256 %s",
				p.PartNumber, u.UploadID, u.Key, n, sum, want.size, want.sha)
		}
		off += p.Size
		v.count(n)
		v.stats.partsChecked++
	}
	v.stats.uploadsChecked++
	_, err = v.st.DeleteObject(ctx, crashBucket, u.Key, objstore.DeleteOptions{VersionID: info.VersionID})
	if err != nil {
		return fmt.Errorf("delete version %s made from leftover upload %s: %w", info.VersionID, u.UploadID, err)
	}
	return nil
}
