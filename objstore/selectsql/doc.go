// Package selectsql serves S3 Select: it runs a SelectObjectContent
// request's SQL over an object read as CSV, JSON or Parquet (plain, GZIP
// or BZIP2) and sends the answer as event-stream messages.
//
// Subpackages: sql parses and evaluates the SQL dialect, input reads the
// records of each format as a stream, eventstream encodes the messages.
//
// A CSV scan keeps the work per record small: records are substrings of
// 1 MiB blocks, fields are cut only as far as the query reads them, a
// column compared with a constant is compared as text or parsed as a
// number without becoming a Value, SELECT * copies a record's text, and
// the object is read and decompressed a chunk ahead in a goroutine of its
// own.
package selectsql
