package s3api_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
)

// selectBody is a SelectObjectContent request over CSV with a header.
func selectBody(expr string) []byte {
	return []byte(`<SelectObjectContentRequest xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Expression>` + expr +
		`</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV></InputSerialization>` +
		`<OutputSerialization><CSV/></OutputSerialization></SelectObjectContentRequest>`)
}

// readEvents decodes a response's event stream into its event types and
// the records.
func readEvents(t *testing.T, resp *http.Response) ([]string, string) {
	t.Helper()
	var kinds []string
	var records strings.Builder
	for {
		m, err := eventstream.Read(resp.Body)
		if errors.Is(err, io.EOF) {
			return kinds, records.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		kind := m.Get(":event-type")
		if m.Get(":message-type") == "error" {
			kind = "error:" + m.Get(":error-code")
		}
		kinds = append(kinds, kind)
		if kind == "Records" {
			records.Write(m.Payload)
		}
	}
}

func TestSelectObjectContent(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/sel", nil, nil)
	e.do("PUT", "/sel?versioning", []byte(`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`), nil)
	v1 := e.do("PUT", "/sel/t.csv", []byte("name,n\nold,1\n"), nil).Header.Get("x-amz-version-id")
	e.do("PUT", "/sel/t.csv", []byte("name,n\nnew,2\nnewer,3\n"), nil)

	resp := e.do("POST", "/sel/t.csv?select&select-type=2", selectBody("SELECT name FROM S3Object WHERE n &gt; 1"), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %+v", resp.StatusCode, readError(t, resp))
	}
	kinds, records := readEvents(t, resp)
	if records != "new\nnewer\n" || strings.Join(kinds, " ") != "Records Stats End" {
		t.Errorf("current version: records %q, events %v", records, kinds)
	}

	resp = e.do("POST", "/sel/t.csv?select&select-type=2&versionId="+v1, selectBody("SELECT * FROM S3Object"), nil)
	if _, records := readEvents(t, resp); records != "old,1\n" {
		t.Errorf("version %s: records %q", v1, records)
	}

	resp = e.do("POST", "/sel/t.csv?select&select-type=2", selectBody("SELECT name FROM S3Object WHERE"), nil)
	if got := readError(t, resp); resp.StatusCode != 400 || got.Code != "ParseExpectedExpression" || got.Message == "" {
		t.Errorf("bad query: status %d, %+v", resp.StatusCode, got)
	}
	resp = e.do("POST", "/sel/t.csv?select&select-type=2", selectBody("SELECT CAST(name AS INT) FROM S3Object"), nil)
	if got := readError(t, resp); resp.StatusCode != 400 || got.Code != "CastFailed" {
		t.Errorf("cast of the first record: status %d, %+v", resp.StatusCode, got)
	}
	resp = e.do("POST", "/sel/none.csv?select&select-type=2", selectBody("SELECT * FROM S3Object"), nil)
	if got := readError(t, resp); resp.StatusCode != 404 || got.Code != "NoSuchKey" {
		t.Errorf("missing key: status %d, %+v", resp.StatusCode, got)
	}
	resp = e.do("POST", "/sel/t.csv?select", selectBody("SELECT * FROM S3Object"), nil)
	if got := readError(t, resp); resp.StatusCode != 400 {
		t.Errorf("without select-type: status %d, %+v", resp.StatusCode, got)
	}
}
