package daemon

import "time"

// Unit kinds.
const (
	KindServer = "server"
	KindMount  = "mount"
	KindSync   = "sync"
)

// Unit states.
const (
	StateStarting  = "starting"
	StateRunning   = "running"
	StateFailed    = "failed"
	StatePaused    = "paused"
	StateUnmounted = "unmounted"
	StateStopped   = "stopped"
)

// UnitStatus is what the control socket reports of one unit.
type UnitStatus struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	State string `json:"state"`
	// Where is what the unit serves: a listen address, a mountpoint, or
	// a folder and its remote.
	Where string `json:"where"`
	// Since is when the unit entered its state.
	Since time.Time `json:"since"`
	// Restarts counts restarts after failures.
	Restarts int `json:"restarts"`
	// LastError is the unit's last failure, if any.
	LastError string `json:"last_error,omitempty"`
	// PendingUploads counts a mount's files written and not stored yet.
	PendingUploads *int `json:"pending_uploads,omitempty"`
	// BytesMoved counts the bytes a sync transferred.
	BytesMoved int64 `json:"bytes_moved"`
	// LastSync is when a sync last finished a pass without failures.
	LastSync *time.Time `json:"last_sync,omitempty"`
	// Sync counters since the daemon started.
	Passes    int64 `json:"passes,omitempty"`
	Files     int64 `json:"files,omitempty"`
	Conflicts int64 `json:"conflicts,omitempty"`
}

// Status is the daemon's answer to a status request.
type Status struct {
	PID    int    `json:"pid"`
	Config string `json:"config"`
	Data   string `json:"data"`
	// S3Endpoint is a loopback S3 endpoint over the embedded store, for
	// commands that find its data directory locked by the daemon; empty
	// while the store is not open.
	S3Endpoint string `json:"s3_endpoint,omitempty"`
	// Metrics is the address metrics are served on, if any.
	Metrics string       `json:"metrics,omitempty"`
	Units   []UnitStatus `json:"units"`
}
