// Package iam keeps the users, access keys and identity policies of an
// embedded store, and its server-wide public access block, in one file of
// the data directory (iam.json, mode 0600).
//
// Administrative commands change the file while a server runs: each
// change takes a lock on iam.json.lock, rewrites the file atomically
// (temporary file, fsync, rename) and the server sees it at its next
// request, since it re-reads the file whenever the file has changed.
//
// The root credential (s3api's root-credential.json) is the root of the
// server's own account, RootAccount unless the file names another.
// Users belong to an account: to the root's by default, or to another so
// that cross-account access can be set up and tested.
package iam
