package lifecycle

import (
	"sort"

	"github.com/cairnfs/cairn/objstore"
)

// minIADays is how long S3 keeps objects in STANDARD before a transition
// to STANDARD_IA or ONEZONE_IA.
const minIADays = 30

// coldness orders the storage classes a transition may target, warmest
// first; a transition only ever moves a version to a colder class.
var coldness = map[objstore.StorageClass]int{
	"INTELLIGENT_TIERING": 1,
	"STANDARD_IA":         1,
	"ONEZONE_IA":          2,
	"GLACIER_IR":          3,
	"GLACIER":             4,
	"DEEP_ARCHIVE":        5,
}

// transitionTarget checks that class is one lifecycle can move to.
func transitionTarget(class string) error {
	if _, ok := coldness[objstore.StorageClass(class)]; !ok {
		return malformed("StorageClass %q is not a lifecycle transition target", class)
	}
	return nil
}

// needsIADays tells whether class needs 30 days in STANDARD first.
func needsIADays(class string) bool { return class == "STANDARD_IA" || class == "ONEZONE_IA" }

// step is one transition of a rule, by days or date, for ordering checks.
type step struct {
	when  int64 // days, or unix seconds of the date
	class string
}

func (r *Rule) validateTransitions() error {
	if len(r.Transitions) == 0 {
		return nil
	}
	var steps []step
	byDate, classes := false, map[string]bool{}
	for i, t := range r.Transitions {
		s, dated, err := t.check()
		if err != nil {
			return err
		}
		if i > 0 && dated != byDate {
			return invalidRequest("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter")
		}
		byDate = dated
		if classes[t.StorageClass] {
			return invalidRequest("'StorageClass' must be different for 'Transition' actions in same 'Rule'")
		}
		classes[t.StorageClass] = true
		steps = append(steps, s)
	}
	if err := checkOrder(steps, "Transition"); err != nil {
		return err
	}
	return r.checkExpirationAfter(steps, byDate)
}

// check validates one transition and returns its step.
func (t Transition) check() (s step, dated bool, err error) {
	if err := transitionTarget(t.StorageClass); err != nil {
		return s, false, err
	}
	switch {
	case t.Days != nil && t.Date != "", t.Days == nil && t.Date == "":
		return s, false, malformed("Transition takes Days or Date")
	case t.Date != "":
		d, err := validDate(t.Date)
		return step{when: d.Unix(), class: t.StorageClass}, true, err
	case *t.Days < 0:
		return s, false, invalidArgument("'Days' in Transition action must be nonnegative")
	case needsIADays(t.StorageClass) && *t.Days < minIADays:
		return s, false, invalidArgument("'Days' in Transition action must be greater than or equal to %d for storageClass '%s'", minIADays, t.StorageClass)
	}
	return step{when: int64(*t.Days), class: t.StorageClass}, false, nil
}

// checkOrder checks that colder classes come strictly later.
func checkOrder(steps []step, action string) error {
	sorted := append([]step(nil), steps...)
	sort.Slice(sorted, func(i, j int) bool {
		return coldness[objstore.StorageClass(sorted[i].class)] < coldness[objstore.StorageClass(sorted[j].class)]
	})
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if b.when <= a.when {
			return invalidArgument("'%s' action for StorageClass '%s' must come after the one for StorageClass '%s'", action, b.class, a.class)
		}
	}
	return nil
}

// checkExpirationAfter checks that the rule's expiration comes after its
// transitions.
func (r *Rule) checkExpirationAfter(steps []step, byDate bool) error {
	e := r.Expiration
	if e == nil {
		return nil
	}
	var when int64
	switch {
	case byDate && e.Date != "":
		d, err := validDate(e.Date)
		if err != nil {
			return err
		}
		when = d.Unix()
	case !byDate && e.Days != nil:
		when = int64(*e.Days)
	default:
		return nil
	}
	for _, s := range steps {
		if when <= s.when {
			return invalidArgument("'Days' or 'Date' in the Expiration action must be later than in the Transition action for StorageClass '%s'", s.class)
		}
	}
	return nil
}

func (r *Rule) validateNoncurrent() error {
	var steps []step
	classes := map[string]bool{}
	for _, t := range r.NoncurrentVersionTransitions {
		if err := transitionTarget(t.StorageClass); err != nil {
			return err
		}
		switch {
		case t.NoncurrentDays == nil:
			return malformed("NoncurrentVersionTransition needs NoncurrentDays")
		case *t.NoncurrentDays < 0:
			return invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative")
		case needsIADays(t.StorageClass) && *t.NoncurrentDays < minIADays:
			return invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to %d for storageClass '%s'", minIADays, t.StorageClass)
		case classes[t.StorageClass]:
			return invalidRequest("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'")
		}
		if err := checkNewer(t.NewerNoncurrentVersions); err != nil {
			return err
		}
		classes[t.StorageClass] = true
		steps = append(steps, step{when: int64(*t.NoncurrentDays), class: t.StorageClass})
	}
	if err := checkOrder(steps, "NoncurrentVersionTransition"); err != nil {
		return err
	}
	return r.validateNoncurrentExpiration(steps)
}

func (r *Rule) validateNoncurrentExpiration(steps []step) error {
	e := r.NoncurrentVersionExpiration
	switch {
	case e == nil:
		return nil
	case e.NoncurrentDays == nil:
		return malformed("NoncurrentVersionExpiration needs NoncurrentDays")
	case *e.NoncurrentDays <= 0:
		return invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
	}
	if err := checkNewer(e.NewerNoncurrentVersions); err != nil {
		return err
	}
	for _, s := range steps {
		if int64(*e.NoncurrentDays) <= s.when {
			return invalidArgument("'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than in the NoncurrentVersionTransition action for StorageClass '%s'", s.class)
		}
	}
	return nil
}

func checkNewer(n *int) error {
	if n != nil && (*n < 1 || *n > maxNewerNoncurrent) {
		return invalidArgument("'NewerNoncurrentVersions' must be an integer between 1 and %d", maxNewerNoncurrent)
	}
	return nil
}
