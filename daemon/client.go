package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
)

// ErrNoDaemon reports that no daemon answers on the control socket.
var ErrNoDaemon = errors.New("no cairn daemon is running")

// Client talks to a running daemon over its control socket.
type Client struct {
	socket string
	hc     *http.Client
}

// NewClient returns a client of the daemon listening on socket.
func NewClient(socket string) *Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "unix", socket)
		if err != nil {
			return nil, &dialError{err}
		}
		return c, nil
	}}
	// No overall timeout: an unmount flushes files as large as they are.
	// Callers bound their requests with their contexts.
	return &Client{socket: socket, hc: &http.Client{Transport: tr}}
}

// Status returns the daemon's status.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var st Status
	if err := c.call(ctx, http.MethodGet, pathStatus, nil, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Pause stops the sync name until Resume.
func (c *Client) Pause(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodPost, "/v1/syncs/"+url.PathEscape(name)+"/pause", nil, nil)
}

// Resume starts the paused sync name again.
func (c *Client) Resume(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodPost, "/v1/syncs/"+url.PathEscape(name)+"/resume", nil, nil)
}

// Unmount flushes and unmounts the daemon's mount on mountpoint, and
// returns its name; the error wraps ErrNotFound when the daemon has no
// mount there.
func (c *Client) Unmount(ctx context.Context, mountpoint string) (string, error) {
	var r unmountReply
	err := c.call(ctx, http.MethodPost, pathUnmount, unmountRequest{Mountpoint: mountpoint}, &r)
	return r.Name, err
}

// call sends one request and decodes its reply into out.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		json.NewEncoder(&body).Encode(in)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://cairn"+path, &body)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		var de *dialError
		if errors.As(err, &de) {
			return fmt.Errorf("%w (no answer on %s)", ErrNoDaemon, c.socket)
		}
		return fmt.Errorf("control socket %s: %w", c.socket, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e errorReply
		json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode == http.StatusNotFound {
			return &notFoundError{e.Error}
		}
		return errors.New(e.Error)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("control socket %s: read reply: %w", c.socket, err)
	}
	return nil
}

// dialError is a failure to reach the socket.
type dialError struct{ err error }

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }
