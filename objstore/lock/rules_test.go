package lock

import (
	"errors"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestCheckRetention(t *testing.T) {
	now := time.Now()
	gov := func(d time.Duration) objstore.ObjectLock {
		return objstore.ObjectLock{Mode: objstore.LockGovernance, RetainUntil: now.Add(d)}
	}
	comp := func(d time.Duration) objstore.ObjectLock {
		return objstore.ObjectLock{Mode: objstore.LockCompliance, RetainUntil: now.Add(d)}
	}
	cases := []struct {
		name      string
		old, next objstore.ObjectLock
		bypass    bool
		want      error
	}{
		{"set on a free version", objstore.ObjectLock{}, gov(time.Hour), false, nil},
		{"extend compliance", comp(time.Hour), comp(2 * time.Hour), false, nil},
		{"shorten compliance", comp(2 * time.Hour), comp(time.Hour), true, ErrLocked},
		{"compliance to governance", comp(time.Hour), gov(2 * time.Hour), true, ErrLocked},
		{"remove compliance", comp(time.Hour), objstore.ObjectLock{}, true, ErrLocked},
		{"shorten governance", gov(2 * time.Hour), gov(time.Hour), false, ErrLocked},
		{"shorten governance with bypass", gov(2 * time.Hour), gov(time.Hour), true, nil},
		{"remove governance with bypass", gov(time.Hour), objstore.ObjectLock{}, true, nil},
		{"governance to compliance", gov(time.Hour), comp(time.Hour), false, nil},
		{"expired compliance", comp(-time.Hour), gov(time.Hour), false, nil},
		{"date in the past", objstore.ObjectLock{}, gov(-time.Hour), false, ErrPastDate},
	}
	for _, c := range cases {
		err := CheckRetention(c.old, c.next, c.bypass, now)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
