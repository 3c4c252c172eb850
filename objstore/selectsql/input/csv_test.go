package input

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// encodeCSV writes rows with the options' delimiters, quoting a field
// whenever it holds a delimiter or quote, and escaping quotes with the
// escape character.
func encodeCSV(rows [][]string, o CSVOptions) []byte {
	var b bytes.Buffer
	for _, row := range rows {
		for i, f := range row {
			if i > 0 {
				b.WriteString(o.FieldDelimiter)
			}
			if strings.ContainsAny(f, o.FieldDelimiter) || strings.Contains(f, o.RecordDelimiter) ||
				strings.Contains(f, o.QuoteCharacter) || strings.ContainsAny(f, "\r\n") || f == "" && len(row) == 1 {
				if o.QuoteEscapeCharacter != o.QuoteCharacter {
					f = strings.ReplaceAll(f, o.QuoteEscapeCharacter, o.QuoteEscapeCharacter+o.QuoteEscapeCharacter)
				}
				f = strings.ReplaceAll(f, o.QuoteCharacter, o.QuoteEscapeCharacter+o.QuoteCharacter)
				f = o.QuoteCharacter + f + o.QuoteCharacter
			}
			b.WriteString(f)
		}
		b.WriteString(o.RecordDelimiter)
	}
	return b.Bytes()
}

// genRows makes rows of fields drawn from awkward pieces.
func genRows(r *rand.Rand, n, cols int, pieces []string) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = make([]string, cols)
		for j := range rows[i] {
			var f strings.Builder
			for k := r.IntN(4); k > 0; k-- {
				f.WriteString(pieces[r.IntN(len(pieces))])
			}
			rows[i][j] = f.String()
		}
	}
	return rows
}

// readAll reads every record's fields.
func readAll(t *testing.T, c *CSV) [][]string {
	t.Helper()
	var out [][]string
	for {
		rec, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, rec.Len())
		for i := range row {
			row[i] = rec.Index(i).S
		}
		out = append(out, row)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opts CSVOptions
	}{
		{"defaults", CSVOptions{}},
		{"semicolon and CRLF", CSVOptions{FieldDelimiter: ";", RecordDelimiter: "\r\n"}},
		{"pipe and single quotes", CSVOptions{FieldDelimiter: "|", QuoteCharacter: "'"}},
		{"backslash escape", CSVOptions{QuoteEscapeCharacter: `\`}},
		{"tab and two-byte field delimiter", CSVOptions{FieldDelimiter: "\t\t", RecordDelimiter: "~"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.AllowQuotedRecordDelimiter = true
			o = o.WithDefaults()
			pieces := []string{"a", "bc", " ", ",", ";", "|", `"`, "'", `\`, "\n", "\r\n", "~", "\t", "é", "x\ty"}
			rows := genRows(rand.New(rand.NewPCG(uint64(i), 7)), 500, 4, pieces)
			c, err := NewCSV(bytes.NewReader(encodeCSV(rows, o)), o)
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, c)
			if len(got) != len(rows) {
				t.Fatalf("%d records, want %d", len(got), len(rows))
			}
			for k := range rows {
				if !reflect.DeepEqual(got[k], rows[k]) {
					t.Fatalf("record %d = %q, want %q", k, got[k], rows[k])
				}
			}
		})
	}
}

func TestCSVHeaderAndComments(t *testing.T) {
	data := "Name,Age\n# a comment\nann,30\n\nbob,41\n"
	for _, tc := range []struct {
		header string
		want   [][]string
		names  string
	}{
		{"USE", [][]string{{"ann", "30"}, {"bob", "41"}}, "Name,Age"},
		{"IGNORE", [][]string{{"ann", "30"}, {"bob", "41"}}, "_1,_2"},
		{"NONE", [][]string{{"Name", "Age"}, {"ann", "30"}, {"bob", "41"}}, "_1,_2"},
	} {
		c, err := NewCSV(strings.NewReader(data), CSVOptions{FileHeaderInfo: tc.header, Comments: "#"}.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := c.Next()
		if names := rec.Name(0) + "," + rec.Name(1); names != tc.names {
			t.Errorf("%s: names %s, want %s", tc.header, names, tc.names)
		}
		if tc.header == "USE" && rec.Field("age", true).S != "30" {
			t.Errorf("USE: age of first record %q", rec.Field("age", true).S)
		}
		if tc.header == "USE" && rec.Field("age", false).Kind != 0 {
			t.Errorf("USE: a case-sensitive lookup of age found %q", rec.Field("age", false).S)
		}
		c2, _ := NewCSV(strings.NewReader(data), CSVOptions{FileHeaderInfo: tc.header, Comments: "#"}.WithDefaults())
		if got := readAll(t, c2); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestCSVQuotedDelimiterNotAllowed(t *testing.T) {
	// Without AllowQuotedRecordDelimiter a record ends at every delimiter.
	c, _ := NewCSV(strings.NewReader("\"a\nb\",c\nd,e\n"), CSVOptions{}.WithDefaults())
	got := readAll(t, c)
	want := [][]string{{"a"}, {`b"`, "c"}, {"d", "e"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestCSVRecordTooLarge(t *testing.T) {
	c, _ := NewCSV(io.LimitReader(neverNewline{}, 3*MaxRecordSize), CSVOptions{}.WithDefaults())
	_, err := c.Next()
	var e *objstore.Error
	if !errors.As(err, &e) || e.Code != "OverMaxRecordSize" {
		t.Errorf("error %v, want OverMaxRecordSize", err)
	}
}

type neverNewline struct{}

func (neverNewline) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
