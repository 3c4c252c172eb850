package sql

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// mapRecord is a record of named string columns, in order.
type mapRecord struct {
	names []string
	vals  []Value
}

func (r *mapRecord) Field(name string, fold bool) Value {
	for i, n := range r.names {
		if n == name || fold && strings.EqualFold(n, name) {
			return r.vals[i]
		}
	}
	return MissingValue
}

func (r *mapRecord) Index(i int) Value {
	if i < len(r.vals) {
		return r.vals[i]
	}
	return MissingValue
}
func (r *mapRecord) Len() int          { return len(r.vals) }
func (r *mapRecord) Name(i int) string { return r.names[i] }

func sampleRecord() *mapRecord {
	obj := &Object{Keys: []string{"city", "tags"}, Values: []any{"Oslo", []any{"a", "b"}}}
	return &mapRecord{
		names: []string{"name", "Age", "amount", "empty", "nothing", "addr", "Mixed"},
		vals: []Value{StringValue("Alice"), StringValue("42"), StringValue("1500.5"), StringValue(""), NullValue,
			{Kind: Composite, C: obj}, StringValue("x")},
	}
}

// eval runs SELECT expr over the sample record.
func eval(t *testing.T, expr string) (Value, error) {
	t.Helper()
	q, err := Parse("SELECT " + expr + " FROM S3Object s")
	if err != nil {
		return Value{}, err
	}
	vals, err := q.Project(sampleRecord(), nil)
	if err != nil {
		return Value{}, err
	}
	return vals[0], nil
}

func TestEvalExpressions(t *testing.T) {
	for expr, want := range map[string]string{
		"name":                                "Alice",
		"s.name":                              "Alice",
		`s."name"`:                            "Alice",
		`s."NAME"`:                            "",
		"NAME":                                "Alice",
		"_1":                                  "Alice",
		"_2 + 1":                              "43",
		"age * 2 - 4 / 2":                     "82",
		"amount + 0.5":                        "1501",
		"7 / 2":                               "3",
		"7.0 / 2":                             "3.5",
		"7 % 3":                               "1",
		"-age":                                "-42",
		"name || '-' || age":                  "Alice-42",
		"LOWER(name)":                         "alice",
		"UPPER(name)":                         "ALICE",
		"CHAR_LENGTH(name)":                   "5",
		"CHARACTER_LENGTH('héllo')":           "5",
		"TRIM('  x  ')":                       "x",
		"TRIM(LEADING 'x' FROM 'xxaxx')":      "axx",
		"TRIM(TRAILING FROM '  a  ')":         "  a",
		"TRIM(BOTH 'ab' FROM 'abxba')":        "x",
		"SUBSTRING(name, 2)":                  "lice",
		"SUBSTRING(name FROM 2 FOR 3)":        "lic",
		"SUBSTRING(name, 0, 2)":               "A",
		"SUBSTRING(name, 10)":                 "",
		"COALESCE(nothing, missingcol, name)": "Alice",
		"NULLIF(name, 'Alice')":               "",
		"NULLIF(name, 'Bob')":                 "Alice",
		"CAST(amount AS FLOAT)":               "1500.5",
		"CAST(amount AS INT)":                 "1500",
		"CAST(age AS INTEGER) + 1":            "43",
		"CAST(age AS DECIMAL)":                "42",
		"CAST(1 AS BOOL)":                     "true",
		"CAST('TRUE' AS BOOL)":                "true",
		"CAST(42 AS STRING) || 'x'":           "42x",
		"CAST('2024-01-02' AS TIMESTAMP)":     "2024-01-02T00:00:00Z",
		"s.addr.city":                         "Oslo",
		"addr.tags[1]":                        "b",
		"addr.tags[5]":                        "",
		"addr.tags":                           `["a","b"]`,
		"ABS(-3)":                             "3",
	} {
		v, err := eval(t, expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if v.Text() != want {
			t.Errorf("%s = %q (%s), want %q", expr, v.Text(), v.Kind, want)
		}
	}
}

func TestEvalConditions(t *testing.T) {
	for cond, want := range map[string]bool{
		"name = 'Alice'":                     true,
		"name <> 'Alice'":                    false,
		"name != 'Bob'":                      true,
		"age > 100":                          false,
		"age > 9":                            true, // a number against a number, not '42' > '9' as strings
		"age = 42":                           true,
		"age = 42.0":                         true,
		"amount >= 1500.5 AND amount < 1501": true,
		"age BETWEEN 40 AND 42":              true,
		"age NOT BETWEEN 40 AND 42":          false,
		"name IN ('Bob', 'Alice')":           true,
		"age IN (1, 2, 42)":                  true,
		"name NOT IN ('Bob')":                true,
		"name LIKE 'A%'":                     true,
		"name LIKE '_lic_'":                  true,
		"name LIKE 'a%'":                     false,
		"name NOT LIKE '%z%'":                true,
		"'50%' LIKE '50!%' ESCAPE '!'":       true,
		"'50x' LIKE '50!%' ESCAPE '!'":       false,
		"'a_b' LIKE 'a\\_b' ESCAPE '\\'":     true,
		"'' LIKE ''":                         true,
		"'abc' LIKE '%b%c%'":                 true,
		"'aaa' LIKE '%a%a%a%a%'":             false,
		"nothing IS NULL":                    true,
		"nosuch IS NULL":                     true,
		"nosuch IS MISSING":                  true,
		"nothing IS MISSING":                 false,
		"name IS NOT NULL":                   true,
		"nothing = 1":                        false,
		"NOT nothing = 1":                    false, // unknown stays unknown
		"nothing = 1 OR name = 'Alice'":      true,
		"nothing = 1 AND name = 'Bob'":       false,
		"NOT (name = 'Bob')":                 true,
		"TRUE AND NOT FALSE":                 true,
		"empty = ''":                         true,
		"empty > 1":                          false,
		"CAST('2024-01-02' AS TIMESTAMP) < CAST('2024-02-01T10:00:00Z' AS TIMESTAMP)": true,
		"1 + 2 * 3 = 7":               true,
		"(1 + 2) * 3 = 9":             true,
		"name = 'Alice' OR 1 / 0 = 1": true, // OR stops at the first true
	} {
		q, err := Parse("SELECT * FROM S3Object s WHERE " + cond)
		if err != nil {
			t.Errorf("%s: %v", cond, err)
			continue
		}
		got, err := q.Match(sampleRecord())
		if err != nil {
			t.Errorf("%s: %v", cond, err)
			continue
		}
		if got != want {
			t.Errorf("%s = %v, want %v", cond, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for query, code := range map[string]string{
		"":                                                    CodeParseUnexpectedToken,
		"SELECT":                                              CodeParseExpectedExpr,
		"SELECT * FROM":                                       CodeParseUnexpectedToken,
		"SELECT * FROM table":                                 CodeParseUnexpectedToken,
		"SELECT * FROM S3Object WHERE":                        CodeParseExpectedExpr,
		"SELECT a FROM S3Object WHERE a = = 1":                CodeParseExpectedExpr,
		"SELECT a FROM S3Object LIMIT x":                      CodeParseUnexpectedToken,
		"SELECT a FROM S3Object LIMIT -1":                     CodeNegativeLimit,
		"SELECT * , a FROM S3Object":                          CodeParseAsteriskNotAlone,
		"SELECT _0 FROM S3Object":                             CodeInvalidColumnIndex,
		"SELECT 'abc FROM S3Object":                           CodeLexerInvalidLiteral,
		"SELECT a FROM S3Object WHERE a ? 1":                  CodeLexerInvalidChar,
		"SELECT FOO(a) FROM S3Object":                         CodeParseUnsupportedCall,
		"SELECT LOWER(a, b) FROM S3Object":                    CodeEvaluatorInvalidArgs,
		"SELECT CAST(a AS BLOB) FROM S3Object":                CodeParseInvalidType,
		"SELECT COUNT(*), a FROM S3Object":                    CodeParseAggregateMix,
		"SELECT a, SUM(b) FROM S3Object":                      CodeParseAggregateMix,
		"SELECT SUM(COUNT(a)) FROM S3Object":                  CodeParseNestedAggregate,
		"SELECT a FROM S3Object WHERE SUM(a) > 1":             "ParseUnsupportedSyntax",
		"SELECT a FROM S3Object WHERE a LIKE 'x' ESCAPE 'ab'": CodeLikeInvalidInputs,
		"SELECT a FROM S3Object extra tokens":                 CodeParseUnexpectedToken,
		"DELETE FROM S3Object":                                CodeParseUnexpectedToken,
	} {
		_, err := Parse(query)
		var e *objstore.Error
		if !errors.As(err, &e) || e.Code != code || e.Status != 400 {
			t.Errorf("%q: error %v, want code %s", query, err, code)
		}
		if err != nil && e != nil && e.Message == "" {
			t.Errorf("%q: no message", query)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	for expr, code := range map[string]string{
		"1 / 0":                   CodeDivisionByZero,
		"name + 1":                CodeInvalidDataType,
		"CAST(name AS INT)":       CodeCastFailed,
		"CAST(name AS FLOAT)":     CodeCastFailed,
		"CAST(name AS BOOL)":      CodeCastFailed,
		"CAST(name AS TIMESTAMP)": CodeCastFailed,
	} {
		_, err := eval(t, expr)
		var e *objstore.Error
		if !errors.As(err, &e) || e.Code != code {
			t.Errorf("%s: error %v, want %s", expr, err, code)
		}
	}
}

func TestQueryShape(t *testing.T) {
	q, err := Parse(`select s.name AS who, _2, s."Age" years, 1 + 1 FROM S3Object[*].people[*] AS s WHERE TRUE limit 10`)
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != 10 || q.Alias != "s" || len(q.Path) != 2 || q.Path[0].Name != "people" || !q.Path[1].Wildcard {
		t.Errorf("limit %d alias %q path %+v", q.Limit, q.Alias, q.Path)
	}
	if got := strings.Join(q.Names(), ","); got != "who,_2,years,_4" {
		t.Errorf("names %s", got)
	}
	a, err := Parse("SELECT COUNT(*) AS n, AVG(amount), MIN(name), MAX(age) FROM S3Object")
	if err != nil || !a.Aggregate {
		t.Fatalf("aggregate query: %v %+v", err, a)
	}
	for _, rec := range []*mapRecord{sampleRecord(), sampleRecord()} {
		if err := a.Accumulate(rec); err != nil {
			t.Fatal(err)
		}
	}
	vals, _ := a.Result()
	if got := vals[0].Text() + " " + vals[1].Text() + " " + vals[2].Text() + " " + vals[3].Text(); got != "2 1500.5 Alice 42" {
		t.Errorf("aggregates %s", got)
	}
}
