package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
	"github.com/parquet-go/parquet-go"
)

// jsonRows reads every record as "name=value" lists.
func jsonRows(t *testing.T, r Reader) []string {
	t.Helper()
	var out []string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for i := 0; i < rec.Len(); i++ {
			parts = append(parts, rec.Name(i)+"="+rec.Index(i).Text())
		}
		out = append(out, strings.Join(parts, " "))
	}
}

func TestJSONDocumentAndLines(t *testing.T) {
	doc := `{"b": 1, "a": {"x": [1, 2]},
	  "c": "s"}
	{"b": 2.5, "a": null} 7 "str"`
	got := strings.Join(jsonRows(t, NewJSON(strings.NewReader(doc), nil)), "|")
	want := `b=1 a={"x":[1,2]} c=s|b=2.5 a=|_1=7|_1=str`
	if got != want {
		t.Errorf("DOCUMENT: %s\nwant %s", got, want)
	}
	lines := "{\"id\":1}\n\n{\"id\":2,\"tags\":[\"x\"]}\n"
	if got := strings.Join(jsonRows(t, NewJSON(strings.NewReader(lines), nil)), "|"); got != `id=1|id=2 tags=["x"]` {
		t.Errorf("LINES: %s", got)
	}
}

func TestJSONPath(t *testing.T) {
	var items []map[string]any
	for i := range 100 {
		items = append(items, map[string]any{"n": i})
	}
	doc, _ := json.Marshal(map[string]any{"meta": "x", "items": items})
	path := []sql.Step{{Name: "items", Index: -1}, {Wildcard: true, Index: -1}}
	rows := jsonRows(t, NewJSON(bytes.NewReader(doc), path))
	if len(rows) != 100 || rows[0] != "n=0" || rows[99] != "n=99" {
		t.Errorf("%d rows: %q … %q", len(rows), rows[0], rows[len(rows)-1])
	}
	one := []sql.Step{{Name: "ITEMS", Index: -1}, {Index: 3}}
	if rows := jsonRows(t, NewJSON(bytes.NewReader(doc), one)); len(rows) != 1 || rows[0] != "n=3" {
		t.Errorf("items[3]: %q", rows)
	}
}

func TestJSONPathStreamsLargeDocument(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"skip": {"deep": [1, {"x": "` + strings.Repeat("y", 2*MaxRecordSize) + `"}]}, "Records": [`)
	n := 5000
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"eventName": "Put", "seq": %d, "pad": "%s"}`, i, strings.Repeat("p", 100))
	}
	b.WriteString(`], "after": 1} {"Records": [{"seq": "last"}]} 42 {"Records": 7}`)
	if b.Len() < 2*MaxRecordSize {
		t.Fatalf("document of %d bytes is not larger than a record", b.Len())
	}
	j := NewJSON(&b, []sql.Step{{Name: "records", Index: -1}, {Wildcard: true, Index: -1}})
	defer j.Close()
	count := 0
	var last string
	for {
		rec, err := j.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = rec.Field("seq", false).Text()
		count++
	}
	if count != n+1 || last != "last" {
		t.Errorf("%d records, the last seq %q; want %d and \"last\"", count, last, n+1)
	}
	// Stopping early ends the walk.
	j2 := NewJSON(strings.NewReader(`{"a": [1, 2, 3]}`), []sql.Step{{Name: "a", Index: -1}, {Wildcard: true, Index: -1}})
	if rec, err := j2.Next(); err != nil || rec.Index(0).I != 1 {
		t.Fatalf("first element: %v", err)
	}
	j2.Close()
	bad := NewJSON(strings.NewReader(`{"a": [1, 2, }`), []sql.Step{{Name: "a", Index: -1}, {Wildcard: true, Index: -1}})
	defer bad.Close()
	var err error
	for err == nil {
		_, err = bad.Next()
	}
	if e := objstore.AsError(err); e.Code != "JSONParsingError" {
		t.Errorf("damaged document along a path: %v", err)
	}
}

func TestJSONErrors(t *testing.T) {
	for input, code := range map[string]string{
		`{"a": 1} {"b": `: "JSONParsingError",
		`{"a" 1}`:         "JSONParsingError",
		`[` + strings.Repeat(`"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",`, MaxRecordSize/30) + `1]`: "OverMaxRecordSize",
	} {
		r := NewJSON(strings.NewReader(input), nil)
		var err error
		for err == nil {
			_, err = r.Next()
		}
		var e *objstore.Error
		if !errors.As(err, &e) || e.Code != code {
			t.Errorf("%.30q: error %v, want %s", input, err, code)
		}
	}
}

type pqRow struct {
	Name  string  `parquet:"name"`
	Count int32   `parquet:"count"`
	Score float64 `parquet:"score"`
	Note  *string `parquet:"note,optional"`
}

func TestParquet(t *testing.T) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqRow](&buf, parquet.MaxRowsPerRowGroup(100))
	note := "n"
	var rows []pqRow
	for i := range 1000 {
		r := pqRow{Name: strings.Repeat("x", i%5), Count: int32(i), Score: float64(i) / 4}
		if i%3 == 0 {
			r.Note = &note
		}
		rows = append(rows, r)
	}
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p, err := NewParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		rec, err := p.Next()
		if errors.Is(err, io.EOF) {
			if i != len(rows) {
				t.Fatalf("%d rows, want %d", i, len(rows))
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		r := rows[i]
		wantNote := sql.Null
		if r.Note != nil {
			wantNote = sql.String
		}
		if rec.Name(1) != "count" || rec.Field("name", false).S != r.Name || rec.Index(1).I != int64(r.Count) ||
			rec.Field("score", false).F != r.Score || rec.Field("note", false).Kind != wantNote {
			t.Fatalf("row %d: %v %v %v %v", i, rec.Index(0), rec.Index(1), rec.Index(2), rec.Index(3))
		}
	}
	if _, err := NewParquet(bytes.NewReader([]byte("not parquet at all")), 18); err == nil {
		t.Error("a file that is not Parquet opened")
	}
}
