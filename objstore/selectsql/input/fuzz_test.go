package input

import (
	"bytes"
	"testing"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// FuzzCSV reads any bytes with any delimiters: errors are fine, panics
// and endless loops are not.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a,b\n\"x\"\"y\",2\n"), ",", "\n", `"`, `"`, "#", true)
	f.Add([]byte("a;;b\r\n'q\\'r';;\r\n"), ";;", "\r\n", "'", `\`, "", false)
	f.Fuzz(func(t *testing.T, data []byte, fd, rd, quote, esc, comments string, allow bool) {
		if len(fd) > 2 || len(rd) > 2 || len(quote) > 1 || len(esc) > 1 || len(comments) > 1 {
			return // the request checks refuse these
		}
		c, err := NewCSV(bytes.NewReader(data), CSVOptions{
			FileHeaderInfo: "USE", FieldDelimiter: fd, RecordDelimiter: rd, QuoteCharacter: quote,
			QuoteEscapeCharacter: esc, Comments: comments, AllowQuotedRecordDelimiter: allow,
		}.WithDefaults())
		if err != nil {
			return
		}
		for n := 0; n <= len(data); n++ {
			rec, err := c.Next()
			if err != nil {
				return
			}
			for i := 0; i < rec.Len(); i++ {
				rec.Field(rec.Name(i), true)
			}
		}
		t.Fatalf("more records than bytes in %q", data)
	})
}

// FuzzJSON reads any bytes as JSON, with and without a path.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"a": [1, {"b": 2}], "c": "d"} [1] "x"`), true)
	f.Fuzz(func(t *testing.T, data []byte, path bool) {
		var steps []sql.Step
		if path {
			steps = []sql.Step{{Name: "a", Index: -1}, {Wildcard: true, Index: -1}}
		}
		j := NewJSON(bytes.NewReader(data), steps)
		defer j.Close()
		for n := 0; n <= len(data); n++ {
			rec, err := j.Next()
			if err != nil {
				return
			}
			for i := 0; i < rec.Len(); i++ {
				sql.AppendJSON(nil, rec.Index(i))
			}
		}
		t.Fatalf("more records than bytes in %q", data)
	})
}
