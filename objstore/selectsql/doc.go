// Package selectsql serves S3 Select: it runs a SelectObjectContent
// request's SQL over an object read as CSV, JSON or Parquet (plain, GZIP
// or BZIP2) and sends the answer as event-stream messages.
//
// Subpackages: sql parses and evaluates the SQL dialect, input reads the
// records of each format as a stream, eventstream encodes the messages.
package selectsql
