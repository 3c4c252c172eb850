package test

import (
	"fmt"
	"slices"
)

// crashHistory is what the parent knows the store must hold: every
// version and delete marker the child was told is stored, and every
// in-flight write the parent later found committed. It accumulates over
// all rounds.
type crashHistory struct {
	// ready is set once a child has opened the store and made the bucket.
	ready bool
	// keys holds each key's versions and delete markers, oldest first.
	keys map[string][]*crashEntry
	// uploads holds every multipart upload a child created.
	uploads map[string]*crashUpload
	// announced maps the hash of every write a child began to its size.
	announced map[string]int64
}

// crashEntry is one version or delete marker the store must keep.
type crashEntry struct {
	version string
	marker  bool
	sha     string
	size    int64
	etag    string
	// checked is set once the version's bytes were read back in full.
	checked bool
	// acked is false for an in-flight write found committed after the kill.
	acked bool
}

// uploadState is where a multipart upload stands.
type uploadState int

const (
	uploadOpen      uploadState = iota // created, not finished
	uploadAborted                      // the child's abort returned
	uploadCompleted                    // the child's complete returned or was found committed
	uploadGone                         // the parent verified and removed it
)

// crashUpload is one multipart upload a child created.
type crashUpload struct {
	key   string
	state uploadState
	// parts holds what each part number's upload announced.
	parts map[int]crashPart
	// acked holds the ETag of each part whose upload returned.
	acked map[int]string
}

// crashPart is a part's announced content.
type crashPart struct {
	sha  string
	size int64
}

// crashOp is the one mutation the child had begun and not yet seen
// return when it was killed (the child is sequential).
type crashOp struct {
	ev crashEvent
}

func newCrashHistory() *crashHistory {
	return &crashHistory{
		keys:      map[string][]*crashEntry{},
		uploads:   map[string]*crashUpload{},
		announced: map[string]int64{},
	}
}

// apply records a round's events in order and returns the mutation in
// flight at the end, if any.
func (h *crashHistory) apply(events []crashEvent) (*crashOp, error) {
	var inflight *crashOp
	for _, ev := range events {
		next, err := h.applyOne(inflight, ev)
		if err != nil {
			return nil, fmt.Errorf("child protocol: %w", err)
		}
		inflight = next
	}
	return inflight, nil
}

// applyOne records one event; it returns the mutation in flight after it.
func (h *crashHistory) applyOne(inflight *crashOp, ev crashEvent) (*crashOp, error) {
	switch ev.verb {
	case verbReady:
		h.ready = true
		return nil, nil
	case verbBegin:
		h.announced[ev.sha] = ev.size
		return &crashOp{ev: ev}, nil
	case verbDBegin, verbMBegin, verbABegin:
		return &crashOp{ev: ev}, nil
	case verbPart:
		u, err := h.upload(ev.uploadID)
		if err != nil {
			return nil, err
		}
		u.parts[ev.part] = crashPart{sha: ev.sha, size: ev.size}
		return &crashOp{ev: ev}, nil
	}
	return nil, h.applyAck(inflight, ev)
}

// applyAck records a mutation that returned; it must answer the one begun.
func (h *crashHistory) applyAck(inflight *crashOp, ev crashEvent) error {
	begun := beginVerbOf(ev.verb)
	if inflight == nil || inflight.ev.verb != begun {
		return fmt.Errorf("%s %+v answers no %s", ev.verb, ev, begun)
	}
	b := inflight.ev
	switch ev.verb {
	case verbAck:
		if b.key != ev.key || b.sha != ev.sha || b.size != ev.size {
			return fmt.Errorf("ack %+v answers begin %+v", ev, b)
		}
		h.keys[ev.key] = append(h.keys[ev.key], &crashEntry{version: ev.version, sha: ev.sha, size: ev.size, acked: true})
		return h.setUploadState(b.uploadID, uploadCompleted)
	case verbDel:
		h.keys[ev.key] = append(h.keys[ev.key], &crashEntry{version: ev.version, marker: true, acked: true})
	case verbMPU:
		h.uploads[ev.uploadID] = newCrashUpload(ev.key)
	case verbPartAck:
		u, err := h.upload(ev.uploadID)
		if err != nil {
			return err
		}
		u.acked[ev.part] = ev.etag
	case verbAbort:
		return h.setUploadState(ev.uploadID, uploadAborted)
	}
	return nil
}

// beginVerbOf returns the verb that announces what ackVerb reports done.
func beginVerbOf(ackVerb string) string {
	switch ackVerb {
	case verbAck:
		return verbBegin
	case verbDel:
		return verbDBegin
	case verbMPU:
		return verbMBegin
	case verbPartAck:
		return verbPart
	case verbAbort:
		return verbABegin
	}
	return ""
}

func newCrashUpload(key string) *crashUpload {
	return &crashUpload{key: key, parts: map[int]crashPart{}, acked: map[int]string{}}
}

func (h *crashHistory) upload(id string) (*crashUpload, error) {
	u := h.uploads[id]
	if u == nil {
		return nil, fmt.Errorf("upload %s was never created", id)
	}
	return u, nil
}

func (h *crashHistory) setUploadState(id string, s uploadState) error {
	if id == "" {
		return nil
	}
	u, err := h.upload(id)
	if err != nil {
		return err
	}
	u.state = s
	return nil
}

// entry finds a key's version or marker by ID.
func (h *crashHistory) entry(key, version string) *crashEntry {
	for _, e := range h.keys[key] {
		if e.version == version {
			return e
		}
	}
	return nil
}

// sortedKeys returns every key the history holds, in byte order.
func (h *crashHistory) sortedKeys() []string {
	keys := make([]string, 0, len(h.keys))
	for k := range h.keys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// latest returns a key's newest entry, or nil.
func (h *crashHistory) latest(key string) *crashEntry {
	es := h.keys[key]
	if len(es) == 0 {
		return nil
	}
	return es[len(es)-1]
}
