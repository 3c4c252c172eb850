// Package transfer moves whole objects between a Store and local readers
// and writers: uploads that go multipart with parallel parts once they are
// big, downloads that fetch ranges in parallel, server-side copies of any
// size, and the listing and deleting loops that span every page of a
// bucket. The command line uses it now; the mount and the folder sync
// build on it.
package transfer
