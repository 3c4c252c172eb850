// Package input reads the records of an S3 Select input: CSV, JSON
// (DOCUMENT and LINES) and Parquet, one record at a time, without holding
// more than a record (a JSON document, a Parquet row group's pages) in
// memory.
package input

import (
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// Reader yields the records of an input.
type Reader interface {
	// Next returns the next record, or io.EOF after the last. The record
	// is valid until the following call.
	Next() (sql.Record, error)
}

// MaxRecordSize is the largest record S3 Select reads (1 MiB).
const MaxRecordSize = 1 << 20

// errorf returns a 400 S3 Select error with code.
func errorf(code, format string, args ...any) error {
	return &objstore.Error{Code: code, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}
