package history

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// timeForms names the forms ParseTime accepts, for its errors.
const timeForms = `RFC 3339 ("2026-03-01T14:30:00Z", "2026-03-01T14:30:00.5+01:00"), ` +
	`local time ("2026-03-01 14:30", "2026-03-01 14:30:15", "2026-03-01"), ` +
	`"now", "yesterday", or a time ago ("2h ago", "90m ago", "3 days ago", "1w ago", "1h30m ago")`

// localLayouts are the local-time forms ParseTime accepts, most specific
// first. Seconds may carry a fraction.
var localLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTime reads a point in time as a user writes it: RFC 3339 with or
// without a fraction of a second; "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DD"
// (midnight) in loc; "now"; "yesterday" (this time of day, one calendar
// day back); or a span before now such as "2h ago", "90m ago",
// "3 days ago", "1w ago" or "1h30m ago". Relative forms count from now.
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	in := strings.TrimSpace(s)
	switch strings.ToLower(in) {
	case "":
		return time.Time{}, fmt.Errorf("empty time: want %s", timeForms)
	case "now":
		return now, nil
	case "yesterday":
		return now.In(loc).AddDate(0, 0, -1), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, in); err == nil {
		return t, nil
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, in, loc); err == nil {
			return t, nil
		}
	}
	if span, ok := strings.CutSuffix(strings.ToLower(in), "ago"); ok {
		t, err := before(strings.TrimSpace(span), now.In(loc))
		if err != nil {
			return time.Time{}, fmt.Errorf("time %q: %w", s, err)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("time %q not understood: want %s", s, timeForms)
}

// before returns now minus a span like "1h30m", "3 days" or "2 weeks 1 day".
// Days and weeks are calendar days in now's location.
func before(span string, now time.Time) (time.Time, error) {
	if span == "" {
		return time.Time{}, fmt.Errorf("no span before \"ago\": want %s", timeForms)
	}
	var (
		days int
		dur  time.Duration
	)
	rest := span
	for rest != "" {
		num, unit, tail, err := nextTerm(rest)
		if err != nil {
			return time.Time{}, err
		}
		d, perDay, err := unitOf(unit)
		if err != nil {
			return time.Time{}, err
		}
		if perDay > 0 {
			if num != float64(int(num)) {
				return time.Time{}, fmt.Errorf("%v %s: days and weeks must be whole", num, unit)
			}
			days += int(num) * perDay
		} else {
			dur += time.Duration(num * float64(d))
		}
		rest = tail
	}
	return now.AddDate(0, 0, -days).Add(-dur), nil
}

// nextTerm splits "90 minutes 3s" into 90, "minutes" and "3s".
func nextTerm(s string) (float64, string, string, error) {
	s = strings.TrimLeft(s, " ,")
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
	if i < 0 {
		i = len(s)
	}
	if i == 0 {
		return 0, "", "", fmt.Errorf("%q: want a number then a unit, as in \"2h ago\" or \"3 days ago\"", s)
	}
	num, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || num < 0 {
		return 0, "", "", fmt.Errorf("%q: bad number %q", s, s[:i])
	}
	s = strings.TrimLeft(s[i:], " ")
	j := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if j < 0 {
		j = len(s)
	}
	if j == 0 {
		return 0, "", "", fmt.Errorf("%q: no unit after %v (use s, m, h, d or w)", s, num)
	}
	return num, s[:j], s[j:], nil
}

// unitOf returns the length of a unit of time, or for days and weeks the
// number of calendar days it spans.
func unitOf(unit string) (time.Duration, int, error) {
	switch unit {
	case "s", "sec", "secs", "second", "seconds":
		return time.Second, 0, nil
	case "m", "min", "mins", "minute", "minutes":
		return time.Minute, 0, nil
	case "h", "hr", "hrs", "hour", "hours":
		return time.Hour, 0, nil
	case "d", "day", "days":
		return 0, 1, nil
	case "w", "wk", "wks", "week", "weeks":
		return 0, 7, nil
	}
	return 0, 0, fmt.Errorf("unknown unit %q (use s, m, h, d or w, or seconds, minutes, hours, days, weeks)", unit)
}
