package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// DefaultSocket is the control socket's path when neither the config nor
// $CAIRN_SOCKET names one: /run/cairn/cairn.sock for root,
// $XDG_RUNTIME_DIR/cairn.sock for others (or a file under the temporary
// directory without one).
func DefaultSocket(getenv func(string) string, uid int) string {
	if s := getenv("CAIRN_SOCKET"); s != "" {
		return s
	}
	if uid == 0 {
		return "/run/cairn/cairn.sock"
	}
	if x := getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(x) {
		return filepath.Join(x, "cairn.sock")
	}
	return filepath.Join(os.TempDir(), "cairn-"+strconv.Itoa(uid)+".sock")
}

// listenSocket listens on the Unix socket path with mode 0600. A socket
// file no daemon answers on is removed first; one that answers is
// another daemon, and an error.
func listenSocket(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("control socket %s: another cairn daemon is running", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control socket: remove stale %s: %w", path, err)
	}
	old := syscall.Umask(0o177)
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return ln, nil
}
