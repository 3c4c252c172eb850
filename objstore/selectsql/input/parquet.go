package input

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// Parquet reads the rows of a Parquet file, a row group at a time.
type Parquet struct {
	reader *parquet.Reader
	names  []string
	row    map[string]any
	rec    jsonRecord
}

// NewParquet opens a Parquet file of size bytes through r, reading its
// footer and then its pages on demand.
func NewParquet(r io.ReaderAt, size int64) (p *Parquet, err error) {
	defer recoverParquet(&err)
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, errorf("ParquetParsingError", "The Parquet input could not be opened: %v.", err)
	}
	p = &Parquet{reader: parquet.NewReader(f)}
	for _, field := range f.Schema().Fields() {
		p.names = append(p.names, field.Name())
	}
	return p, nil
}

// Next returns the next row, its columns in the order of the schema.
func (p *Parquet) Next() (rec sql.Record, err error) {
	defer recoverParquet(&err)
	clear(p.row)
	if p.row == nil {
		p.row = map[string]any{}
	}
	if err := p.reader.Read(&p.row); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, errorf("ParquetParsingError", "A row of the Parquet input could not be read: %v.", err)
	}
	obj := &sql.Object{Keys: p.names, Values: make([]any, len(p.names))}
	for i, n := range p.names {
		obj.Values[i] = p.row[n]
	}
	p.rec.set(obj)
	return &p.rec, nil
}

// recoverParquet turns a panic of the Parquet library over a damaged
// file into an error.
func recoverParquet(err *error) {
	if r := recover(); r != nil {
		*err = errorf("ParquetParsingError", "The Parquet input is damaged: %v.", fmt.Sprint(r))
	}
}
