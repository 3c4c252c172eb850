package sql

// Query is a parsed SELECT statement.
type Query struct {
	// Star is SELECT *.
	Star bool
	// Items are the projections when Star is false.
	Items []Item
	// Alias is the table alias of FROM S3Object alias ("" when none).
	Alias string
	// Path is the JSON path after S3Object (S3Object[*].a.b), without the
	// leading [*].
	Path []Step
	// Where filters the records; nil keeps them all.
	Where Expr
	// Limit caps the records returned; -1 when there is none.
	Limit int64
	// Aggregate tells that the projections are aggregates: the query
	// returns one record over all that pass Where.
	Aggregate bool

	// aggs are the aggregate calls of the projections, which accumulate
	// over the records: a Query serves one scan.
	aggs []*aggregate
}

// Item is one projection: an expression and the name it is output as.
type Item struct {
	Expr Expr
	// Name is the AS alias, or the column's own name, or "" (the output
	// then names it _N by position).
	Name string
}

// Step is one step of a path: a field by name, an index into a list, or
// [*] over every element.
type Step struct {
	Name string
	// Quoted names match case-sensitively.
	Quoted bool
	// Index is the list index of an [n] step; -1 for a name.
	Index int
	// Wildcard is [*].
	Wildcard bool
}

// Expr is an expression evaluated against one record.
type Expr interface {
	eval(rec Record) (Value, error)
}

// Record is one input record as the evaluator sees it.
type Record interface {
	// Field returns the named column, matching case-insensitively when
	// fold is set; MissingValue when there is none.
	Field(name string, fold bool) Value
	// Index returns the column at a 0-based position; MissingValue past
	// the end.
	Index(i int) Value
	// Len is the number of columns.
	Len() int
	// Name is the output name of the column at a position.
	Name(i int) string
}

// Positioner is a Record whose named columns sit at the same positions in
// every record of one layout (the records of a CSV file with a header):
// a column reference looks its position up once per layout.
type Positioner interface {
	// Layout identifies the layout; records that share it return the
	// same comparable value.
	Layout() any
	// Position finds a column by name in the layout.
	Position(name string, fold bool) (int, bool)
}

// TextRecord is a Positioner whose fields are all text (the records of a
// CSV file): a column compared with a constant reads the field's text
// without making a Value of it.
type TextRecord interface {
	Positioner
	// Text returns the field at a 0-based position; ok is false past the
	// end.
	Text(i int) (s string, ok bool)
}
