package lifecycle

import (
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Day is a lifecycle day of real time.
const Day = 24 * time.Hour

// Version is what the rules look at of one version or delete marker.
type Version struct {
	Key          string
	VersionID    string
	Size         int64
	Tags         objstore.Tags
	StorageClass objstore.StorageClass
	LastModified time.Time
	IsLatest     bool
	DeleteMarker bool
	// NoncurrentSince is when a noncurrent version stopped being current:
	// when the next newer version of its key was written.
	NoncurrentSince time.Time
	// NewerNoncurrent counts the noncurrent versions of the key that are
	// newer than this one.
	NewerNoncurrent int
	// Alone tells that a current delete marker has no versions behind it
	// (an expired object delete marker).
	Alone bool
}

// Kind is what a rule does to a version.
type Kind int

// The actions of lifecycle rules on versions.
const (
	// Keep leaves the version as it is.
	Keep Kind = iota
	// ChangeClass moves the version to Action.StorageClass (a transition).
	ChangeClass
	// ExpireCurrent deletes the current version the way a DELETE without
	// a version does: a delete marker on a versioned bucket.
	ExpireCurrent
	// DeleteVersion removes this version (or delete marker) for good.
	DeleteVersion
)

// Action is the outcome of the rules for one version.
type Action struct {
	Kind         Kind
	StorageClass objstore.StorageClass
	RuleID       string
}

// Evaluate decides what the enabled rules do to v at now, with days of
// length day. As in S3, a deletion beats a transition, and of two
// transitions the one to the colder class wins.
func (c *Configuration) Evaluate(v Version, now time.Time, day time.Duration) Action {
	best := Action{Kind: Keep}
	for i := range c.Rules {
		r := &c.Rules[i]
		if !r.enabled() || !r.matches(v.Key, v.Size, v.Tags) {
			continue
		}
		if a := r.evaluate(&v, now, day); better(a, best) {
			best = a
		}
	}
	return best
}

// better tells whether a should win over b.
func better(a, b Action) bool {
	if a.Kind != b.Kind {
		return a.Kind > b.Kind
	}
	return a.Kind == ChangeClass && coldness[a.StorageClass] > coldness[b.StorageClass]
}

func (r *Rule) evaluate(v *Version, now time.Time, day time.Duration) Action {
	switch {
	case v.DeleteMarker && v.IsLatest:
		return r.evaluateMarker(v, now, day)
	case v.IsLatest:
		return r.evaluateCurrent(v, now, day)
	default:
		return r.evaluateNoncurrent(v, now, day)
	}
}

// evaluateMarker removes an expired object delete marker.
func (r *Rule) evaluateMarker(v *Version, now time.Time, day time.Duration) Action {
	e := r.Expiration
	if e == nil || !v.Alone {
		return Action{}
	}
	flagged := e.ExpiredObjectDeleteMarker != nil && *e.ExpiredObjectDeleteMarker
	if flagged || e.Days != nil && !now.Before(after(v.LastModified, *e.Days, day)) {
		return Action{Kind: DeleteVersion, RuleID: r.ID}
	}
	return Action{}
}

func (r *Rule) evaluateCurrent(v *Version, now time.Time, day time.Duration) Action {
	if at, ok := r.expiresAt(v.LastModified, day); ok && !now.Before(at) {
		return Action{Kind: ExpireCurrent, RuleID: r.ID}
	}
	best := Action{}
	for _, t := range r.Transitions {
		class := objstore.StorageClass(t.StorageClass)
		if !transitionDue(t, v.LastModified, now, day) || coldness[class] <= coldness[v.StorageClass] {
			continue
		}
		if a := (Action{Kind: ChangeClass, StorageClass: class, RuleID: r.ID}); better(a, best) {
			best = a
		}
	}
	return best
}

func transitionDue(t Transition, since, now time.Time, day time.Duration) bool {
	if t.Days != nil {
		return !now.Before(after(since, *t.Days, day))
	}
	d, err := parseDate(t.Date)
	return err == nil && !now.Before(d)
}

func (r *Rule) evaluateNoncurrent(v *Version, now time.Time, day time.Duration) Action {
	if e := r.NoncurrentVersionExpiration; e != nil && e.NoncurrentDays != nil &&
		keepsNewer(v, e.NewerNoncurrentVersions) && !now.Before(after(v.NoncurrentSince, *e.NoncurrentDays, day)) {
		return Action{Kind: DeleteVersion, RuleID: r.ID}
	}
	if v.DeleteMarker {
		return Action{}
	}
	best := Action{}
	for _, t := range r.NoncurrentVersionTransitions {
		class := objstore.StorageClass(t.StorageClass)
		if t.NoncurrentDays == nil || !keepsNewer(v, t.NewerNoncurrentVersions) ||
			now.Before(after(v.NoncurrentSince, *t.NoncurrentDays, day)) || coldness[class] <= coldness[v.StorageClass] {
			continue
		}
		if a := (Action{Kind: ChangeClass, StorageClass: class, RuleID: r.ID}); better(a, best) {
			best = a
		}
	}
	return best
}

// keepsNewer tells whether v is beyond the newest n noncurrent versions
// an action spares.
func keepsNewer(v *Version, n *int) bool { return n == nil || v.NewerNoncurrent >= *n }

// expiresAt is when the rule's Expiration (by Days or Date) expires a
// current version written at since.
func (r *Rule) expiresAt(since time.Time, day time.Duration) (time.Time, bool) {
	e := r.Expiration
	switch {
	case e == nil:
		return time.Time{}, false
	case e.Days != nil:
		return after(since, *e.Days, day), true
	case e.Date != "":
		d, err := parseDate(e.Date)
		return d, err == nil
	}
	return time.Time{}, false
}

// Expiration tells when a rule will expire the current version v, and
// which rule: the earliest of the enabled rules that select it. It is
// what x-amz-expiration reports.
func (c *Configuration) Expiration(v Version, day time.Duration) (at time.Time, ruleID string, ok bool) {
	for i := range c.Rules {
		r := &c.Rules[i]
		if !r.enabled() || !r.matches(v.Key, v.Size, v.Tags) {
			continue
		}
		if t, found := r.expiresAt(v.LastModified, day); found && (!ok || t.Before(at)) {
			at, ruleID, ok = t, r.ID, true
		}
	}
	return at, ruleID, ok
}

// AbortDue tells whether a multipart upload of key started at initiated
// is to be aborted at now, and by which rule.
func (c *Configuration) AbortDue(key string, initiated, now time.Time, day time.Duration) (ruleID string, ok bool) {
	for i := range c.Rules {
		r := &c.Rules[i]
		a := r.AbortIncompleteMultipartUpload
		if !r.enabled() || a == nil || a.DaysAfterInitiation == nil || !r.matches(key, 0, nil) {
			continue
		}
		if !now.Before(after(initiated, *a.DaysAfterInitiation, day)) {
			return r.ID, true
		}
	}
	return "", false
}

// after is n lifecycle days after t. With days of real length it is, as
// in S3, the midnight UTC that follows; a shortened day counts exactly.
func after(t time.Time, n int, day time.Duration) time.Time {
	at := t.Add(time.Duration(n) * day)
	if day != Day {
		return at
	}
	midnight := at.UTC().Truncate(Day)
	if midnight.Before(at) {
		midnight = midnight.Add(Day)
	}
	return midnight
}
