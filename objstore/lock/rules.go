package lock

import (
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Active tells whether l's retention still holds at now.
func Active(l objstore.ObjectLock, now time.Time) bool {
	return l.Mode != "" && l.RetainUntil.After(now)
}

// CheckRemove tells whether a version with lock state l may be removed for
// good at now: not under legal hold, not under COMPLIANCE retention, and
// under GOVERNANCE retention only with bypass. It fails with ErrLocked.
func CheckRemove(l objstore.ObjectLock, bypass bool, now time.Time) error {
	switch {
	case l.LegalHold:
		return fmt.Errorf("version under legal hold: %w", ErrLocked)
	case !Active(l, now):
		return nil
	case l.Mode == objstore.LockCompliance:
		return fmt.Errorf("version under COMPLIANCE retention until %s: %w", l.RetainUntil.Format(time.RFC3339), ErrLocked)
	case !bypass:
		return fmt.Errorf("version under GOVERNANCE retention until %s: %w", l.RetainUntil.Format(time.RFC3339), ErrLocked)
	}
	return nil
}

// CheckRetention tells whether a version's retention may change from old
// to next at now. A retention that has run out may change freely. An
// active COMPLIANCE retention may only be kept or extended, in the same
// mode. An active GOVERNANCE retention may be extended or made
// COMPLIANCE; shortening or removing it takes bypass. It fails with
// ErrLocked; a new date that is not in the future fails with ErrPastDate.
func CheckRetention(old, next objstore.ObjectLock, bypass bool, now time.Time) error {
	if next.Mode != "" && !next.RetainUntil.After(now) {
		return fmt.Errorf("retain until %s: %w", next.RetainUntil.Format(time.RFC3339), ErrPastDate)
	}
	if !Active(old, now) {
		return nil
	}
	weaker := next.Mode == "" || next.RetainUntil.Before(old.RetainUntil)
	switch old.Mode {
	case objstore.LockCompliance:
		if weaker || next.Mode != objstore.LockCompliance {
			return fmt.Errorf("COMPLIANCE retention until %s cannot be shortened or removed: %w", old.RetainUntil.Format(time.RFC3339), ErrLocked)
		}
	case objstore.LockGovernance:
		if weaker && !bypass {
			return fmt.Errorf("GOVERNANCE retention until %s cannot be shortened or removed without bypass: %w", old.RetainUntil.Format(time.RFC3339), ErrLocked)
		}
	}
	return nil
}
