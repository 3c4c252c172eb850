package history

import (
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, paris) // the day after the switch to summer time
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2026-03-01T14:30:00Z", time.Date(2026, 3, 1, 14, 30, 0, 0, time.UTC)},
		{"2026-03-01T14:30:00.25+01:00", time.Date(2026, 3, 1, 13, 30, 0, 250e6, time.UTC)},
		{"2026-03-01T14:30:00.123456789Z", time.Date(2026, 3, 1, 14, 30, 0, 123456789, time.UTC)},
		{"2026-03-01 14:30", time.Date(2026, 3, 1, 14, 30, 0, 0, paris)},
		{"2026-03-01 14:30:15", time.Date(2026, 3, 1, 14, 30, 15, 0, paris)},
		{"2026-03-01T14:30:15", time.Date(2026, 3, 1, 14, 30, 15, 0, paris)},
		{"2026-03-01", time.Date(2026, 3, 1, 0, 0, 0, 0, paris)},
		{"  2026-03-01  ", time.Date(2026, 3, 1, 0, 0, 0, 0, paris)},
		{"now", now},
		{"NOW", now},
		{"yesterday", time.Date(2026, 3, 29, 12, 0, 0, 0, paris)},
		{"2h ago", now.Add(-2 * time.Hour)},
		{"90m ago", now.Add(-90 * time.Minute)},
		{"1h30m ago", now.Add(-90 * time.Minute)},
		{"1.5h ago", now.Add(-90 * time.Minute)},
		{"45s ago", now.Add(-45 * time.Second)},
		{"3 days ago", time.Date(2026, 3, 27, 12, 0, 0, 0, paris)},
		{"1 day ago", time.Date(2026, 3, 29, 12, 0, 0, 0, paris)},
		{"1w ago", time.Date(2026, 3, 23, 12, 0, 0, 0, paris)},
		{"2 weeks 1 day ago", time.Date(2026, 3, 15, 12, 0, 0, 0, paris)},
		{"1 hour 30 minutes ago", now.Add(-90 * time.Minute)},
		{"1d 2h ago", time.Date(2026, 3, 29, 10, 0, 0, 0, paris)},
		{"10 mins ago", now.Add(-10 * time.Minute)},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, now, paris)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestParseTimeErrors(t *testing.T) {
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	cases := []struct{ in, says string }{
		{"", "RFC 3339"},
		{"tomorrow", "RFC 3339"},
		{"2026-13-01", "RFC 3339"},
		{"2026-03-01 25:00", "RFC 3339"},
		{"ago", "no span"},
		{"2 fortnights ago", "unknown unit"},
		{"2 ago", "no unit"},
		{"h ago", "want a number"},
		{"1.5 days ago", "whole"},
		{"-2h ago", "want a number"},
	}
	for _, c := range cases {
		_, err := ParseTime(c.in, now, time.UTC)
		if err == nil {
			t.Errorf("ParseTime(%q) succeeded", c.in)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseTime(%q) error %q does not say %q", c.in, err, c.says)
		}
	}
}
