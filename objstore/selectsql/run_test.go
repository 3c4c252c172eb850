package selectsql

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// row is one generated record.
type row struct {
	id     int
	name   string
	city   string
	amount float64
}

func genData(n int, seed uint64) ([]row, []byte) {
	r := rand.New(rand.NewPCG(seed, 3))
	cities := []string{"Oslo", "Bergen, NO", `The "Big" Apple`, "Lima\nPeru", "oslo", ""}
	rows := make([]row, n)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "name", "city", "amount"})
	for i := range rows {
		rows[i] = row{id: i + 1, name: fmt.Sprintf("user%03d", r.IntN(500)), city: cities[r.IntN(len(cities))], amount: float64(r.IntN(100000)) / 100}
		w.Write([]string{strconv.Itoa(rows[i].id), rows[i].name, rows[i].city, strconv.FormatFloat(rows[i].amount, 'f', -1, 64)})
	}
	w.Flush()
	return rows, b.Bytes()
}

const csvUse = "<FileHeaderInfo>USE</FileHeaderInfo><AllowQuotedRecordDelimiter>TRUE</AllowQuotedRecordDelimiter>"

// TestQueriesAgainstGo runs queries over generated CSV and compares the
// records with the same query written in Go over the same rows.
func TestQueriesAgainstGo(t *testing.T) {
	rows, data := genData(4000, 1)
	f := func(s string) string { return s }
	cases := []struct {
		query string
		keep  func(r row) bool
		out   func(r row) []string
		limit int
	}{
		{"SELECT * FROM S3Object WHERE amount > 500 AND city = 'Oslo'",
			func(r row) bool { return r.amount > 500 && r.city == "Oslo" },
			func(r row) []string {
				return []string{strconv.Itoa(r.id), r.name, r.city, strconv.FormatFloat(r.amount, 'f', -1, 64)}
			}, -1},
		{"SELECT s.id, UPPER(s.city) FROM S3Object s WHERE s.city LIKE '%\"%' OR LOWER(city) = 'oslo' LIMIT 100",
			func(r row) bool { return strings.Contains(r.city, `"`) || strings.ToLower(r.city) == "oslo" },
			func(r row) []string { return []string{strconv.Itoa(r.id), strings.ToUpper(r.city)} }, 100},
		{"SELECT _1, _3 FROM S3Object WHERE _3 IN ('Bergen, NO', 'Lima\nPeru') AND CAST(_1 AS INT) % 3 = 0",
			func(r row) bool { return (r.city == "Bergen, NO" || r.city == "Lima\nPeru") && r.id%3 == 0 },
			func(r row) []string { return []string{strconv.Itoa(r.id), f(r.city)} }, -1},
		{"SELECT name FROM S3Object WHERE amount BETWEEN 100 AND 200.5 AND city IS NOT NULL AND city <> ''",
			func(r row) bool { return r.amount >= 100 && r.amount <= 200.5 && r.city != "" },
			func(r row) []string { return []string{r.name} }, -1},
		{"SELECT id, amount * 2 - 1, SUBSTRING(name FROM 5) FROM S3Object WHERE NOT (id < 3990)",
			func(r row) bool { return r.id >= 3990 },
			func(r row) []string {
				v := r.amount*2 - 1
				return []string{strconv.Itoa(r.id), strconv.FormatFloat(v, 'f', -1, 64), r.name[4:]}
			}, -1},
	}
	for _, tc := range cases {
		res, err := runXML(t, csvRequest(tc.query, csvUse, ""), data)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		var want [][]string
		for _, r := range rows {
			if tc.keep(r) && (tc.limit < 0 || len(want) < tc.limit) {
				want = append(want, tc.out(r))
			}
		}
		got, err := csv.NewReader(bytes.NewReader(res.records)).ReadAll()
		if err != nil {
			t.Fatalf("%s: output not CSV: %v", tc.query, err)
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d rows, want %d (first %q, want %q)", tc.query, len(got), len(want), head(got), head(want))
		}
	}
}

func head(rows [][]string) [][]string { return rows[:min(2, len(rows))] }

func TestAggregatesAgainstGo(t *testing.T) {
	rows, data := genData(3000, 2)
	res, err := runXML(t, `<SelectObjectContentRequest><Expression>SELECT COUNT(*) AS n, COUNT(city) AS c, SUM(amount) AS s, AVG(amount) AS a, MIN(amount) AS lo, MAX(name) AS hi FROM S3Object WHERE city LIKE 'O%'</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV>`+csvUse+`</CSV></InputSerialization><OutputSerialization><JSON/></OutputSerialization></SelectObjectContentRequest>`, data)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var sum, lo float64
	hi := ""
	for _, r := range rows {
		if strings.HasPrefix(r.city, "O") {
			if n == 0 || r.amount < lo {
				lo = r.amount
			}
			hi = max(hi, r.name)
			n++
			sum += r.amount
		}
	}
	var got struct {
		N, C     int
		S, A, Lo float64
		Hi       string
	}
	if err := json.Unmarshal(res.records, &got); err != nil {
		t.Fatalf("%q: %v", res.records, err)
	}
	if got.N != n || got.C != n || fmt.Sprintf("%.2f", got.S) != fmt.Sprintf("%.2f", sum) ||
		fmt.Sprintf("%.4f", got.A) != fmt.Sprintf("%.4f", sum/float64(n)) || got.Lo != lo || got.Hi != hi {
		t.Errorf("got %+v, want n %d sum %.2f avg %.4f min %v max %s", got, n, sum, sum/float64(n), lo, hi)
	}
}

func TestOutputFormats(t *testing.T) {
	data := []byte("a,b\n1,\"x,y\"\n2,\"say \"\"hi\"\"\"\n")
	res, err := runXML(t, csvRequest("SELECT * FROM S3Object", "<FileHeaderInfo>USE</FileHeaderInfo>",
		"<QuoteFields>ALWAYS</QuoteFields><FieldDelimiter>;</FieldDelimiter><RecordDelimiter>&#13;\n</RecordDelimiter><QuoteCharacter>'</QuoteCharacter>"), data)
	if want := "'1';'x,y'\r\n'2';'say \"hi\"'\r\n"; err != nil || string(res.records) != want {
		t.Errorf("CSV ALWAYS: %q (%v), want %q", res.records, err, want)
	}
	res, _ = runXML(t, csvRequest("SELECT * FROM S3Object", "<FileHeaderInfo>USE</FileHeaderInfo>", ""), data)
	if want := "1,\"x,y\"\n2,\"say \"\"hi\"\"\"\n"; string(res.records) != want {
		t.Errorf("CSV ASNEEDED: %q, want %q", res.records, want)
	}
	body := `<SelectObjectContentRequest><Expression>SELECT a, CAST(a AS INT) AS n, s.b, nosuch FROM S3Object s</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV></InputSerialization><OutputSerialization><JSON><RecordDelimiter>,</RecordDelimiter></JSON></OutputSerialization></SelectObjectContentRequest>`
	res, err = runXML(t, body, data)
	if want := `{"a":"1","n":1,"b":"x,y"},{"a":"2","n":2,"b":"say \"hi\""},`; err != nil || string(res.records) != want {
		t.Errorf("JSON: %s (%v), want %s", res.records, err, want)
	}
}

func TestCompressionAndJSONDocument(t *testing.T) {
	doc := `{"people": [{"name": "ann", "age": 30}, {"name": "bob", "age": 41}, {"name": "cy"}]}`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(doc))
	zw.Close()
	body := `<SelectObjectContentRequest><Expression>SELECT p.name FROM S3Object[*].people[*] p WHERE p.age IS MISSING OR p.age > 35</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CompressionType>GZIP</CompressionType><JSON><Type>DOCUMENT</Type></JSON></InputSerialization><OutputSerialization><JSON/></OutputSerialization></SelectObjectContentRequest>`
	res, err := runXML(t, body, gz.Bytes())
	if want := "{\"name\":\"bob\"}\n{\"name\":\"cy\"}\n"; err != nil || string(res.records) != want {
		t.Errorf("%q (%v), want %q", res.records, err, want)
	}
	if !strings.Contains(res.stats, fmt.Sprintf("<BytesScanned>%d</BytesScanned><BytesProcessed>%d</BytesProcessed>", gz.Len(), len(doc))) {
		t.Errorf("stats %s", res.stats)
	}
	_, err = runXML(t, strings.Replace(body, "GZIP", "BZIP2", 1), gz.Bytes())
	if e := objstore.AsError(err); e.Code != "InvalidCompressionFormat" {
		t.Errorf("GZIP data read as BZIP2: %v", err)
	}
}

func TestEventsOfLongScan(t *testing.T) {
	_, data := genData(5000, 3)
	body := strings.Replace(csvRequest("SELECT id FROM S3Object WHERE id = '4999'", csvUse, ""),
		"<ExpressionType>", "<RequestProgress><Enabled>true</Enabled></RequestProgress><ExpressionType>", 1)
	var req Request
	if err := xmlUnmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	res, err := runRequest(t, &req, data, Options{KeepAlive: 1})
	if err != nil {
		t.Fatal(err)
	}
	evs := strings.Join(res.events, " ")
	if !strings.HasPrefix(evs, "Progress Progress Progress Progress Records") || !strings.HasSuffix(evs, "Progress Stats End") {
		t.Errorf("events %s: want Progress while scanning, then Records, Progress, Stats, End", evs)
	}
	req.RequestProgress.Enabled = false
	res, _ = runRequest(t, &req, data, Options{KeepAlive: 1})
	if evs := strings.Join(res.events, " "); !strings.HasPrefix(evs, "Cont Cont") || !strings.HasSuffix(evs, "Records Stats End") {
		t.Errorf("events %s: want Cont while scanning", evs)
	}
}

func TestErrorMidStream(t *testing.T) {
	data := []byte("a\n1\n2\n3\nx\n4\n")
	var req Request
	if err := xmlUnmarshal(csvRequest("SELECT CAST(a AS INT) FROM S3Object", "<FileHeaderInfo>USE</FileHeaderInfo>", ""), &req); err != nil {
		t.Fatal(err)
	}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := runRequest(t, &req, data, Options{ChunkSize: 1})
	if e := objstore.AsError(err); e.Code != "CastFailed" {
		t.Fatalf("error %v, want CastFailed", err)
	}
	if string(res.records) != "1\n2\n3\n" || res.errCode != "CastFailed" || res.events[len(res.events)-1] != "error" {
		t.Errorf("records %q, events %v, error %q: want three records, then an error event", res.records, res.events, res.errCode)
	}
}

func TestScanRanges(t *testing.T) {
	rows, data := genData(2000, 4)
	_ = rows
	plain := bytes.ReplaceAll(data, []byte("Lima\nPeru"), []byte("Lima Peru"))
	const query = "SELECT s.id, s.city FROM S3Object s WHERE CAST(amount AS FLOAT) > 200"
	const header = "<FileHeaderInfo>USE</FileHeaderInfo>"
	whole, err := runXML(t, csvRequest(query, header, ""), plain)
	if err != nil || len(whole.records) < 1000 {
		t.Fatalf("whole scan: %d bytes, %v", len(whole.records), err)
	}
	var joined []byte
	step := int64(len(plain)/7 + 13)
	for start := int64(0); start < int64(len(plain)); start += step {
		end := start + step - 1
		body := strings.Replace(csvRequest(query, header, ""), "</SelectObjectContentRequest>",
			fmt.Sprintf("<ScanRange><Start>%d</Start><End>%d</End></ScanRange></SelectObjectContentRequest>", start, end), 1)
		res, err := runXML(t, body, plain)
		if err != nil {
			t.Fatal(err)
		}
		joined = append(joined, res.records...)
	}
	if !bytes.Equal(joined, whole.records) {
		t.Errorf("scan ranges joined give %d bytes, the whole scan %d", len(joined), len(whole.records))
	}
}

func TestRequestValidation(t *testing.T) {
	for body, code := range map[string]string{
		strings.Replace(csvRequest("SELECT 1", "", ""), "<ExpressionType>SQL", "<ExpressionType>XPATH", 1): "InvalidExpressionType",
		csvRequest("", "", ""): "MissingRequiredParameter",
		csvRequest("SELECT * FROM S3Object", "<FileHeaderInfo>SOME</FileHeaderInfo>", ""):                                                                       "InvalidFileHeaderInfo",
		csvRequest("SELECT * FROM S3Object", "", "<QuoteFields>SOMETIMES</QuoteFields>"):                                                                        "InvalidQuoteFields",
		strings.Replace(csvRequest("SELECT * FROM S3Object", "", ""), "<InputSerialization>", "<InputSerialization><CompressionType>ZSTD</CompressionType>", 1): "InvalidCompressionFormat",
		strings.Replace(csvRequest("SELECT * FROM S3Object", "", ""), "<InputSerialization>", "<InputSerialization><JSON/>", 1):                                 "ObjectSerializationConflict",
	} {
		_, err := runXML(t, body, []byte("a\n"))
		if e := objstore.AsError(err); e.Code != code || e.Status != 400 {
			t.Errorf("%s: error %v, want %s", body, err, code)
		}
	}
}

func xmlUnmarshal(body string, v any) error {
	if err := xmlDecode(body, v); err != nil {
		return errors.New("request XML: " + err.Error())
	}
	return nil
}
