package sql

import "testing"

// FuzzQuery parses and runs any query over a record: errors are fine,
// panics are not, and a record of text fields matches as the same
// fields given as Values do.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{
		"SELECT * FROM S3Object WHERE status = 'failed' AND amount > 1000",
		"SELECT s.a.b[1], _2, CAST(x AS INT) FROM S3Object[*].items[*] s LIMIT 3",
		"SELECT COUNT(*), SUM(a), AVG(b), MIN(c), MAX(d) FROM S3Object",
		"SELECT SUBSTRING(name FROM 2 FOR 3), TRIM(BOTH 'x' FROM y), a || b FROM S3Object WHERE a LIKE '%x_' ESCAPE '!'",
		"SELECT * FROM S3Object WHERE a IN (1, 'b', NULL) OR b NOT BETWEEN -1 AND 2.5e3 OR c IS NOT MISSING",
		"SELECT 1 / 0, 7 % -1, -9223372036854775808 * -1 FROM S3Object",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		query, err := Parse(q)
		if err != nil {
			return
		}
		text := &textRecord{names: []string{"id", "status", "amount", "note"}, fields: []string{"7", "failed", "1500.5", "x"}}
		fast, ferr := query.Match(text)
		slow, serr := query.Match(plainRecord{text})
		if ferr == nil && serr == nil && fast != slow {
			t.Fatalf("%q over text fields: %v, over Values: %v", q, fast, slow)
		}
		rec := sampleRecord()
		if _, err := query.Match(rec); err != nil {
			return
		}
		if query.Aggregate {
			query.Accumulate(rec)
			query.Result()
			return
		}
		query.Project(rec, nil)
		query.Names()
	})
}
