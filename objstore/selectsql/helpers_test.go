package selectsql

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
)

// memObject is an object held in memory.
type memObject struct{ data []byte }

func (m *memObject) Size() int64 { return int64(len(m.data)) }

func (m *memObject) Open(_ context.Context, offset, length int64) (io.ReadCloser, error) {
	end := int64(len(m.data))
	if length >= 0 {
		end = min(end, offset+length)
	}
	return io.NopCloser(bytes.NewReader(m.data[min(offset, end):end])), nil
}

func (m *memObject) ReadAt(p []byte, off int64) (int, error) {
	return bytes.NewReader(m.data).ReadAt(p, off)
}

// result is what a run sent, decoded.
type result struct {
	records []byte
	events  []string
	stats   string
	errCode string
}

// runXML runs a request given as the XML body over data.
func runXML(t *testing.T, body string, data []byte) (result, error) {
	t.Helper()
	var req Request
	if err := xmlDecode(body, &req); err != nil {
		t.Fatalf("request XML: %v", err)
	}
	if err := req.Validate(); err != nil {
		return result{}, err
	}
	return runRequest(t, &req, data, Options{})
}

func runRequest(t *testing.T, req *Request, data []byte, opts Options) (result, error) {
	t.Helper()
	var out bytes.Buffer
	w := eventstream.NewWriter(&out, nil)
	err := Run(context.Background(), req, &memObject{data: data}, w, opts)
	if err != nil && w.Sent > 0 {
		e := objstore.AsError(err)
		if werr := w.Error(e.Code, e.Message); werr != nil {
			t.Fatal(werr)
		}
	}
	return decodeStream(t, &out), err
}

// decodeStream reads every message of an event stream.
func decodeStream(t *testing.T, r io.Reader) result {
	t.Helper()
	var res result
	for {
		m, err := eventstream.Read(r)
		if errors.Is(err, io.EOF) {
			return res
		}
		if err != nil {
			t.Fatalf("decode event stream: %v", err)
		}
		if m.Get(":message-type") == "error" {
			res.errCode = m.Get(":error-code")
			res.events = append(res.events, "error")
			continue
		}
		kind := m.Get(":event-type")
		res.events = append(res.events, kind)
		switch kind {
		case "Records":
			res.records = append(res.records, m.Payload...)
		case "Stats":
			res.stats = string(m.Payload)
		}
	}
}

// csvRequest is a request over CSV input with CSV output.
func csvRequest(expr, inCSV, outCSV string) string {
	return `<SelectObjectContentRequest><Expression>` + xmlEscape(expr) + `</Expression><ExpressionType>SQL</ExpressionType>` +
		`<InputSerialization><CSV>` + inCSV + `</CSV></InputSerialization>` +
		`<OutputSerialization><CSV>` + outCSV + `</CSV></OutputSerialization></SelectObjectContentRequest>`
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func xmlDecode(body string, v any) error { return xml.Unmarshal([]byte(body), v) }
