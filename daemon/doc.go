// Package daemon hosts any mix of S3 servers, FUSE mounts and folder syncs
// in one long-running process, from one YAML config file.
//
// A Supervisor runs each configured unit, restarts one that fails (with
// backoff), and on Reload diffs the new config against the running one by
// unit name and content: added units start, removed ones stop, changed
// ones restart, the others keep running. One embedded store is opened per
// data directory and shared by every unit on it; remote stores are opened
// once per endpoint. A control socket answers status, pause and resume of
// a sync, and unmount; Prometheus metrics are served on request.
package daemon
