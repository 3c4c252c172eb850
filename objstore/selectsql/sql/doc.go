// Package sql is the SQL dialect of S3 Select: a lexer and parser of
// SELECT statements over S3Object, and an evaluator of their WHERE
// clauses, projections and aggregates over records.
//
// Values follow the rules of S3 Select: a field a record lacks is
// MISSING, comparisons with NULL or MISSING are unknown (and fail a
// WHERE clause), and the values of a CSV file, all strings, compare and
// compute as numbers against numbers when they read as numbers. A Query
// holds the running state of its aggregates and serves one scan.
package sql
