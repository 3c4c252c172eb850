// Package sdnotifytest plays systemd's side of the sd_notify protocol
// for tests: it listens on a datagram socket, points NOTIFY_SOCKET at it,
// and hands the test the notices a service sends.
package sdnotifytest

import (
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Socket is the socket systemd gives a Type=notify service in
// NOTIFY_SOCKET, with what the service sent on it.
type Socket struct {
	t     testing.TB
	got   chan []string
	pings atomic.Int64
}

// Listen listens on a socket in a temp dir of t and points NOTIFY_SOCKET
// at it for the rest of the test, which must not run in parallel (the
// variable is the process's, and the commands it starts inherit it).
func Listen(t testing.TB) *Socket {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	s := &Socket{t: t, got: make(chan []string, 256)}
	go func() {
		defer close(s.got)
		buf := make([]byte, 64<<10)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			lines := strings.Split(strings.TrimSuffix(string(buf[:n]), "\n"), "\n")
			if slices.Equal(lines, []string{"WATCHDOG=1"}) {
				s.pings.Add(1)
				continue
			}
			s.got <- lines
		}
	}()
	return s
}

// Expect returns the next notice other than a watchdog ping, as its
// lines; it must start with first and come within a minute.
func (s *Socket) Expect(first string) []string {
	s.t.Helper()
	select {
	case lines, ok := <-s.got:
		if !ok {
			s.t.Fatalf("notify socket closed while waiting for %s", first)
		}
		if lines[0] != first {
			s.t.Fatalf("notice %q, want %s first", lines, first)
		}
		return lines
	case <-time.After(time.Minute):
		s.t.Fatalf("no %s within a minute", first)
	}
	return nil
}

// Pings returns how many watchdog pings came so far.
func (s *Socket) Pings() int64 { return s.pings.Load() }

// Status returns the STATUS= value of a notice; "" when it has none.
func Status(notice []string) string {
	for _, l := range notice {
		if v, ok := strings.CutPrefix(l, "STATUS="); ok {
			return v
		}
	}
	return ""
}
