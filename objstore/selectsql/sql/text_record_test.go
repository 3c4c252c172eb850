package sql

import (
	"strings"
	"testing"
)

// textRecord is a CSV-like record: text fields under a header, read
// through TextRecord.
type textRecord struct {
	names  []string
	fields []string
}

func (r *textRecord) Field(name string, fold bool) Value {
	if i, ok := r.Position(name, fold); ok {
		return r.Index(i)
	}
	return MissingValue
}

func (r *textRecord) Index(i int) Value {
	if s, ok := r.Text(i); ok {
		return StringValue(s)
	}
	return MissingValue
}

func (r *textRecord) Text(i int) (string, bool) {
	if i < 0 || i >= len(r.fields) {
		return "", false
	}
	return r.fields[i], true
}

func (r *textRecord) Len() int          { return len(r.fields) }
func (r *textRecord) Name(i int) string { return r.names[i] }
func (r *textRecord) Layout() any       { return &r.names[0] }

func (r *textRecord) Position(name string, fold bool) (int, bool) {
	for i, n := range r.names {
		if n == name || fold && strings.EqualFold(n, name) {
			return i, true
		}
	}
	return 0, false
}

// plainRecord hides the TextRecord methods of a textRecord: its columns
// go through the general path of Values.
type plainRecord struct{ r *textRecord }

func (p plainRecord) Field(name string, fold bool) Value { return p.r.Field(name, fold) }
func (p plainRecord) Index(i int) Value                  { return p.r.Index(i) }
func (p plainRecord) Len() int                           { return p.r.Len() }
func (p plainRecord) Name(i int) string                  { return p.r.Name(i) }

// textConditions compare columns with constants of every kind.
var textConditions = []string{
	"status = 'failed'", "status <> 'failed'", "'failed' = status", "status < 'ok'", "'ok' >= status",
	"amount > 1000", "amount <= 1000.5", "1000 < amount", "amount = 17", "amount != 17", "amount > -1e3",
	"id >= 3", "_1 < 3", "_9 = 'x'", "nope = 1", "nope <> 'x'", "note = TRUE", "note = NULL",
	"amount > CAST('2020-01-01' AS TIMESTAMP)", "\"Status\" = 'failed'", "STATUS = 'failed'",
}

// textRows are records whose fields read as numbers, text, blanks and
// booleans, some short of columns.
var textRows = [][]string{
	{"1", "failed", "1500.25", "true"},
	{"2", "ok", "17", "false"},
	{"3", "pending", " 999 ", ""},
	{"4", "failed", "abc", "x"},
	{"5", "failed", "9223372036854775807"},
	{"6"},
	{"7", "ok", "1e3", "TRUE"},
	{"8", "", "", ""},
}

// TestTextCompareMatchesValues checks that a column compared with a
// constant gives the same answer over text fields as over Values.
func TestTextCompareMatchesValues(t *testing.T) {
	names := []string{"id", "status", "amount", "note"}
	for _, cond := range textConditions {
		q, err := Parse("SELECT * FROM S3Object WHERE " + cond)
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		for _, row := range textRows {
			rec := &textRecord{names: names, fields: row}
			fast, ferr := q.Where.eval(rec)
			slow, serr := q.Where.eval(plainRecord{rec})
			if fast.Kind != slow.Kind || fast.B != slow.B || (ferr == nil) != (serr == nil) {
				t.Errorf("%s over %q: text path %v %v (%v), Value path %v %v (%v)",
					cond, row, fast.Kind, fast.B, ferr, slow.Kind, slow.B, serr)
			}
		}
	}
}

// TestTextCompareAnswers pins what users see of a few comparisons.
func TestTextCompareAnswers(t *testing.T) {
	names := []string{"id", "status", "amount", "note"}
	for cond, want := range map[string][]bool{
		"status = 'failed' AND amount > 1000": {true, false, false, false, true, false, false, false},
		"1000 < amount":                       {true, false, false, false, true, false, false, false},
		"amount <= 999":                       {false, true, true, false, false, false, false, false},
	} {
		q, err := Parse("SELECT * FROM S3Object WHERE " + cond)
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		for i, row := range textRows {
			got, err := q.Match(&textRecord{names: names, fields: row})
			if err != nil || got != want[i] {
				t.Errorf("%s over %q: %v, %v; want %v", cond, row, got, err, want[i])
			}
		}
	}
}

// TestMatchMatchesEval checks that Match, which asks AND and OR for truth
// values, answers as the Values of eval do, over text and other records.
func TestMatchMatchesEval(t *testing.T) {
	names := []string{"id", "status", "amount", "note"}
	for i, a := range textConditions {
		b := textConditions[(i*7+3)%len(textConditions)]
		for _, cond := range []string{a + " AND " + b, a + " OR " + b, "NOT (" + a + ") OR " + b, "(" + a + " OR 1 = 2) AND id < 7"} {
			q, err := Parse("SELECT * FROM S3Object WHERE " + cond)
			if err != nil {
				t.Fatalf("%s: %v", cond, err)
			}
			for _, row := range textRows {
				rec := &textRecord{names: names, fields: row}
				v, err := q.Where.eval(plainRecord{rec})
				vb, vk := truth(v)
				for _, r := range []Record{rec, plainRecord{rec}} {
					got, gerr := q.Match(r)
					if got != (vk && vb) || (gerr == nil) != (err == nil) {
						t.Errorf("%s over %q: Match %v (%v), eval %v (%v)", cond, row, got, gerr, vk && vb, err)
					}
				}
			}
		}
	}
}
