package sse

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditEntry is one line of the audit log: one use or change of a key.
type AuditEntry struct {
	Time time.Time `json:"time"`
	// Op is GenerateDataKey, Decrypt, CreateKey, RotateKey, DisableKey
	// or EnableKey.
	Op string `json:"op"`
	// Key is the KMS key ID, "master" for the SSE-S3 master key, or
	// "customer:<key md5>" for an SSE-C key.
	Key        string `json:"key"`
	KeyVersion uint32 `json:"key_version,omitempty"`
	Algorithm  string `json:"algorithm,omitempty"`
	Bucket     string `json:"bucket,omitempty"`
	Object     string `json:"object,omitempty"`
	// Error is why the use failed; empty when it succeeded.
	Error string `json:"error,omitempty"`
}

// auditLog appends entries to DATA_DIR/keys/audit.log. Each entry is one
// write of one line to a file opened for appending, so that the lines of
// several processes never mix.
type auditLog struct {
	mu sync.Mutex
	f  *os.File
}

func openAudit(dir string) (*auditLog, error) {
	path := filepath.Join(dir, auditFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	return &auditLog{f: f}, nil
}

func (a *auditLog) write(e AuditEntry) error {
	e.Time = time.Now().UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit entry: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

func (a *auditLog) close() error { return a.f.Close() }
