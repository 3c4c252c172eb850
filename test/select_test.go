package test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// guideQuery is the S3 Select example of the S3 guide, as written.
const guideQuery = "SELECT * FROM S3Object WHERE status = 'failed' AND amount > 1000"

// selectResult is what testdata/select_check.py prints for a select.
type selectResult struct {
	Records string         `json:"records"`
	Events  []string       `json:"events"`
	Stats   map[string]int `json:"stats"`
	Error   string         `json:"error"`
	Message string         `json:"message"`
}

// selectClient drives S3 Select through boto3 against a server.
type selectClient struct {
	s      *server
	py     string
	script string
	dir    string
}

func newSelectClient(t *testing.T) *selectClient {
	py := needTool(t, "/usr/bin/python3", "python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		needTool(t, "boto3 (Debian package python3-boto3)")
	}
	_, file, _, _ := runtime.Caller(0)
	return &selectClient{s: startServe(t), py: py, script: filepath.Join(filepath.Dir(file), "testdata", "select_check.py"), dir: t.TempDir()}
}

// put uploads data under key, compressed as asked.
func (c *selectClient) put(t *testing.T, key string, data []byte, compression string) {
	t.Helper()
	path := filepath.Join(c.dir, "upload")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c.s.run(t, c.py, c.script, "put", "select-bucket", key, path, compression)
}

// sel runs a select of key whose request (Expression, serializations)
// is req.
func (c *selectClient) sel(t *testing.T, key string, req map[string]any) selectResult {
	t.Helper()
	req["Key"] = key
	return c.selMany(t, []map[string]any{req})[0]
}

// selMany runs selects, each request naming its Key, in one boto3 client.
func (c *selectClient) selMany(t *testing.T, reqs []map[string]any) []selectResult {
	t.Helper()
	path := filepath.Join(c.dir, "requests.json")
	b, _ := json.Marshal(reqs)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := c.s.run(t, c.py, c.script, "select", "select-bucket", path)
	var res []selectResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != len(reqs) {
		t.Fatalf("select output %q: %v", out, err)
	}
	return res
}

// order is one row of the generated orders file.
type order struct {
	ID     int64   `parquet:"id"`
	Status string  `parquet:"status"`
	Amount float64 `parquet:"amount"`
	Note   string  `parquet:"note"`
}

// genOrders makes n orders whose notes hold delimiters and quotes, and
// newlines when multiline is set.
func genOrders(n int, multiline bool, seed uint64) []order {
	r := rand.New(rand.NewPCG(seed, 1))
	statuses := []string{"failed", "ok", "pending", "FAILED"}
	notes := []string{"plain", "with, comma", `say "hi"`, "", "tab\there", "x,\"y\",z"}
	if multiline {
		notes = append(notes, "two\nlines", "crlf\r\nend")
	}
	out := make([]order, n)
	for i := range out {
		amt := float64(r.IntN(3000))
		if r.IntN(3) == 0 {
			amt += float64(r.IntN(100)) / 100
		}
		out[i] = order{ID: int64(i + 1), Status: statuses[r.IntN(len(statuses))], Amount: amt, Note: notes[r.IntN(len(notes))]}
	}
	return out
}

func formatAmount(a float64) string { return strconv.FormatFloat(a, 'f', -1, 64) }

// ordersCSV writes orders as CSV with a header line.
func ordersCSV(t *testing.T, orders []order) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "status", "amount", "note"})
	for _, o := range orders {
		w.Write([]string{strconv.FormatInt(o.ID, 10), o.Status, formatAmount(o.Amount), o.Note})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// oracleCSV evaluates a filter over the file parsed by encoding/csv and
// returns the rows it keeps.
func oracleCSV(t *testing.T, data []byte, keep func(row []string) bool) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, row := range rows[1:] {
		if keep(row) {
			out = append(out, row)
		}
	}
	return out
}

// parseCSVOutput reads the records a select returned as CSV.
func parseCSVOutput(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("select output is not CSV: %v\n%q", err, s)
	}
	return rows
}

func guideKeep(row []string) bool {
	amt, err := strconv.ParseFloat(row[2], 64)
	return row[1] == "failed" && err == nil && amt > 1000
}

// guideRequest is the guide's request, with a compression type.
func guideRequest(compression string) map[string]any {
	return map[string]any{
		"Expression": guideQuery,
		"InputSerialization": map[string]any{
			"CSV":             map[string]any{"FileHeaderInfo": "USE", "RecordDelimiter": "\n", "FieldDelimiter": ","},
			"CompressionType": compression,
		},
		"OutputSerialization": map[string]any{"CSV": map[string]any{}},
	}
}

// TestSelectGuideExample runs the guide's query as written, over a GZIP
// file as in the guide and over BZIP2 and plain copies, with boto3 and
// the aws CLI; the rows are those Go finds in the same file.
func TestSelectGuideExample(t *testing.T) {
	c := newSelectClient(t)
	data := ordersCSV(t, genOrders(5000, false, 1))
	want := oracleCSV(t, data, guideKeep)
	if len(want) < 100 {
		t.Fatalf("generated data has only %d matching rows", len(want))
	}
	comps := []string{"GZIP", "BZIP2", "NONE"}
	var reqs []map[string]any
	for _, comp := range comps {
		key := "data/orders-2024.csv." + strings.ToLower(comp)
		c.put(t, key, data, comp)
		req := guideRequest(comp)
		req["Key"] = key
		reqs = append(reqs, req)
	}
	for i, res := range c.selMany(t, reqs) {
		comp := comps[i]
		if res.Error != "" {
			t.Fatalf("%s: select failed: %s %s", comp, res.Error, res.Message)
		}
		if got := parseCSVOutput(t, res.Records); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d rows, want %d; first got %q", comp, len(got), len(want), got[:min(3, len(got))])
		}
		if n := len(res.Events); n < 3 || res.Events[n-2] != "Stats" || res.Events[n-1] != "End" {
			t.Errorf("%s: events %v, want Records… Stats End", comp, res.Events)
		}
		if res.Stats["BytesProcessed"] != len(data) {
			t.Errorf("%s: BytesProcessed %d, want %d", comp, res.Stats["BytesProcessed"], len(data))
		}
	}
	out := filepath.Join(c.dir, "out.csv")
	awsCLI(t)
	c.s.aws(t, "s3api", "select-object-content", "--bucket", "select-bucket", "--key", "data/orders-2024.csv.gzip",
		"--expression", guideQuery, "--expression-type", "SQL",
		"--input-serialization", `{"CSV":{"FileHeaderInfo":"USE","RecordDelimiter":"\n","FieldDelimiter":","},"CompressionType":"GZIP"}`,
		"--output-serialization", `{"CSV":{}}`, out)
	if got := parseCSVOutput(t, string(mustRead(t, out))); !reflect.DeepEqual(got, want) {
		t.Errorf("aws CLI: %d rows in out.csv, want %d", len(got), len(want))
	}
}

// TestSelectQueries checks projections, aggregates, quoted newlines,
// JSON and Parquet input and JSON output against Go's own evaluation.
func TestSelectQueries(t *testing.T) {
	c := newSelectClient(t)
	orders := genOrders(3000, true, 2)
	data := ordersCSV(t, orders)
	c.put(t, "orders.csv", data, "NONE")
	csvIn := map[string]any{"CSV": map[string]any{"FileHeaderInfo": "USE", "AllowQuotedRecordDelimiter": true}}

	t.Run("projection over quoted newlines", func(t *testing.T) {
		res := c.sel(t, "orders.csv", map[string]any{
			"Expression":          "SELECT s.id, UPPER(s.status), s.note FROM S3Object s WHERE s.note LIKE '%lines%' OR s.note LIKE '%\"%' LIMIT 50",
			"InputSerialization":  csvIn,
			"OutputSerialization": map[string]any{"CSV": map[string]any{"QuoteFields": "ALWAYS"}},
		})
		var want [][]string
		for _, o := range orders {
			if len(want) < 50 && (strings.Contains(o.Note, "lines") || strings.Contains(o.Note, `"`)) {
				want = append(want, []string{strconv.FormatInt(o.ID, 10), strings.ToUpper(o.Status), o.Note})
			}
		}
		if got := parseCSVOutput(t, res.Records); res.Error != "" || !reflect.DeepEqual(got, want) {
			t.Errorf("got %d rows (error %q), want %d; first %q want %q", len(got), res.Error, len(want), got[:min(2, len(got))], want[:2])
		}
	})

	t.Run("aggregates", func(t *testing.T) {
		res := c.sel(t, "orders.csv", map[string]any{
			"Expression":          "SELECT COUNT(*), SUM(CAST(amount AS FLOAT)), MIN(CAST(amount AS FLOAT)), MAX(CAST(amount AS FLOAT)) FROM S3Object WHERE LOWER(status) IN ('failed', 'pending') AND amount BETWEEN 100 AND 2000",
			"InputSerialization":  csvIn,
			"OutputSerialization": map[string]any{"JSON": map[string]any{}},
		})
		var n int
		var sum, lo, hi float64
		for _, o := range orders {
			s := strings.ToLower(o.Status)
			if (s == "failed" || s == "pending") && o.Amount >= 100 && o.Amount <= 2000 {
				if n == 0 || o.Amount < lo {
					lo = o.Amount
				}
				if n == 0 || o.Amount > hi {
					hi = o.Amount
				}
				n++
				sum += o.Amount
			}
		}
		var got map[string]float64
		if err := json.Unmarshal([]byte(res.Records), &got); err != nil {
			t.Fatalf("records %q (error %q): %v", res.Records, res.Error, err)
		}
		if got["_1"] != float64(n) || fmt.Sprintf("%.4f", got["_2"]) != fmt.Sprintf("%.4f", sum) || got["_3"] != lo || got["_4"] != hi {
			t.Errorf("got %v, want count %d sum %.2f min %v max %v", got, n, sum, lo, hi)
		}
	})

	t.Run("json lines", func(t *testing.T) {
		var b bytes.Buffer
		for _, o := range orders {
			line, _ := json.Marshal(map[string]any{"id": o.ID, "status": o.Status, "amount": o.Amount, "meta": map[string]any{"note": o.Note}})
			b.Write(append(line, '\n'))
		}
		c.put(t, "orders.jsonl", b.Bytes(), "GZIP")
		res := c.sel(t, "orders.jsonl", map[string]any{
			"Expression":          "SELECT o.id, o.meta.note AS note FROM S3Object[*] o WHERE o.amount > 2500 AND o.status = 'ok'",
			"InputSerialization":  map[string]any{"JSON": map[string]any{"Type": "LINES"}, "CompressionType": "GZIP"},
			"OutputSerialization": map[string]any{"JSON": map[string]any{}},
		})
		want := ""
		for _, o := range orders {
			if o.Amount > 2500 && o.Status == "ok" {
				note, _ := json.Marshal(o.Note)
				want += fmt.Sprintf(`{"id":%d,"note":%s}`+"\n", o.ID, note)
			}
		}
		if res.Records != want || res.Error != "" {
			t.Errorf("got (error %q)\n%.300s\nwant\n%.300s", res.Error, res.Records, want)
		}
	})

	t.Run("json document", func(t *testing.T) {
		list := make([]map[string]any, len(orders))
		for i, o := range orders {
			list[i] = map[string]any{"id": o.ID, "status": o.Status, "amount": o.Amount}
		}
		doc, _ := json.MarshalIndent(map[string]any{"export": "orders", "orders": list}, "", "  ")
		c.put(t, "orders.json", doc, "BZIP2")
		res := c.sel(t, "orders.json", map[string]any{
			"Expression":          "SELECT COUNT(*) AS n, MAX(o.amount) AS top FROM S3Object[*].orders[*] o WHERE o.status IN ('failed', 'FAILED')",
			"InputSerialization":  map[string]any{"JSON": map[string]any{"Type": "DOCUMENT"}, "CompressionType": "BZIP2"},
			"OutputSerialization": map[string]any{"JSON": map[string]any{}},
		})
		n, top := 0, 0.0
		for _, o := range orders {
			if strings.EqualFold(o.Status, "failed") {
				n++
				top = max(top, o.Amount)
			}
		}
		want := fmt.Sprintf(`{"n":%d,"top":%s}`+"\n", n, formatAmount(top))
		if res.Records != want || res.Error != "" {
			t.Errorf("got %q (error %q), want %q", res.Records, res.Error, want)
		}
	})

	t.Run("parquet", func(t *testing.T) {
		var b bytes.Buffer
		w := parquet.NewGenericWriter[order](&b)
		if _, err := w.Write(orders); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		c.put(t, "orders.parquet", b.Bytes(), "NONE")
		res := c.sel(t, "orders.parquet", map[string]any{
			"Expression":          "SELECT id, amount * 2 AS twice FROM S3Object WHERE status = 'FAILED' AND id % 7 = 0",
			"InputSerialization":  map[string]any{"Parquet": map[string]any{}},
			"OutputSerialization": map[string]any{"CSV": map[string]any{}},
		})
		var want [][]string
		for _, o := range orders {
			if o.Status == "FAILED" && o.ID%7 == 0 {
				want = append(want, []string{strconv.FormatInt(o.ID, 10), formatAmount(o.Amount * 2)})
			}
		}
		if got := parseCSVOutput(t, res.Records); res.Error != "" || !reflect.DeepEqual(got, want) {
			t.Errorf("got %d rows (error %q %s), want %d; first %q want %q", len(got), res.Error, res.Message, len(want), got[:min(2, len(got))], want[:2])
		}
	})
}

// TestSelectErrors checks that a bad query and a bad request answer with
// S3's error codes through boto3 and the aws CLI.
func TestSelectErrors(t *testing.T) {
	c := newSelectClient(t)
	c.put(t, "small.csv", []byte("a,b\n1,2\n"), "NONE")
	csvIn := map[string]any{"CSV": map[string]any{"FileHeaderInfo": "USE"}}
	csvOut := map[string]any{"CSV": map[string]any{}}
	cases := []struct{ key, expr, code string }{
		{"small.csv", "SELECT * FROM S3Object WHERE", "ParseExpectedExpression"},
		{"small.csv", "SELECT a FROM S3Object WHERE a = = 1", "ParseExpectedExpression"},
		{"small.csv", "SELECT a b c FROM S3Object", "ParseUnexpectedToken"},
		{"small.csv", "SELECT _0 FROM S3Object", "InvalidColumnIndex"},
		{"small.csv", "SELECT NOSUCH(a) FROM S3Object", "UnsupportedFunction"},
		{"small.csv", "SELECT CAST(a AS INT) + 'x' FROM S3Object", "InvalidDataType"},
		{"missing.csv", "SELECT * FROM S3Object", "NoSuchKey"},
	}
	var reqs []map[string]any
	for _, tc := range cases {
		reqs = append(reqs, map[string]any{"Key": tc.key, "Expression": tc.expr, "InputSerialization": csvIn, "OutputSerialization": csvOut})
	}
	reqs = append(reqs, map[string]any{"Key": "small.csv", "Expression": "SELECT * FROM S3Object",
		"InputSerialization": map[string]any{"CSV": map[string]any{"FileHeaderInfo": "MAYBE"}}, "OutputSerialization": csvOut})
	cases = append(cases, struct{ key, expr, code string }{"small.csv", "FileHeaderInfo MAYBE", "InvalidFileHeaderInfo"})
	for i, res := range c.selMany(t, reqs) {
		if res.Error != cases[i].code {
			t.Errorf("%s of %s: error %q (%s), want %s", cases[i].expr, cases[i].key, res.Error, res.Message, cases[i].code)
		}
	}
	awsCLI(t)
	out, err := c.s.try(t, awsCLI(t), "--endpoint-url", c.s.endpoint, "s3api", "select-object-content",
		"--bucket", "select-bucket", "--key", "small.csv", "--expression", "SELECT * FROM S3Object WHERE",
		"--expression-type", "SQL", "--input-serialization", `{"CSV":{}}`, "--output-serialization", `{"CSV":{}}`,
		filepath.Join(c.dir, "err.csv"))
	if err == nil || !strings.Contains(out, "ParseExpectedExpression") {
		t.Errorf("aws CLI on a bad query: err %v, output %q; want a failure naming ParseExpectedExpression", err, out)
	}
}
