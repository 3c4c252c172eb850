package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Headers of a webhook POST besides the JSON body.
const (
	// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the
	// body under the webhook's secret, when it has one.
	SignatureHeader = "X-Cairn-Signature"
	// DeliveryHeader carries the record's sequencer, the same on every
	// attempt of one delivery.
	DeliveryHeader = "X-Cairn-Delivery"
)

// errNoWebhook drops records whose target is not (or no longer) registered.
var errNoWebhook = errors.New("no webhook registered under the target's name")

// wake makes sure target's worker runs and looks at its queue again.
func (d *Dispatcher) wake(target string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ch, ok := d.running[target]; ok {
		select {
		case ch <- struct{}{}:
		default:
		}
		return
	}
	ch := make(chan struct{}, 1)
	d.running[target] = ch
	d.workers.Add(1)
	go d.work(target, ch)
}

// work delivers target's queued records one at a time, oldest first,
// until the dispatcher closes.
func (d *Dispatcher) work(target string, wake <-chan struct{}) {
	defer d.workers.Done()
	for {
		e, err := d.q.first(target)
		if err != nil {
			d.log.Error("read event queue", "target", target, "err", err)
		}
		if e == nil {
			select {
			case <-wake:
				continue
			case <-d.ctx.Done():
				return
			}
		}
		if !d.deliver(target, e) {
			return
		}
		if err := d.q.remove(e); err != nil {
			d.log.Error("remove delivered event", "target", target, "err", err)
			return
		}
	}
}

// deliver sends one record until its target takes it, waiting longer
// after each failure. It returns false when the dispatcher closed first.
func (d *Dispatcher) deliver(target string, e *entry) bool {
	wait := d.o.RetryMin
	for attempt := 1; ; attempt++ {
		err := d.post(target, e)
		if err == nil {
			return true
		}
		if errors.Is(err, errNoWebhook) {
			d.log.Error("event notification dropped", "target", target, "sequencer", fmt.Sprintf("%016X", e.seq), "err", err)
			return true
		}
		d.log.Warn("event notification not delivered; will retry", "target", target, "attempt", attempt, "retry_in", wait, "err", err)
		select {
		case <-time.After(wait):
		case <-d.ctx.Done():
			return false
		}
		wait = min(2*wait, d.o.RetryMax)
	}
}

// post sends one record to the webhook target names.
func (d *Dispatcher) post(target string, e *entry) error {
	hook, ok, err := d.o.Webhooks.Lookup(target)
	if err != nil {
		return err
	}
	if !ok {
		return errNoWebhook
	}
	ctx, cancel := context.WithTimeout(d.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(e.body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", hook.URL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cairn-events")
	req.Header.Set(DeliveryHeader, fmt.Sprintf("%016X", e.seq))
	if hook.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(hook.Secret, e.body))
	}
	resp, err := d.o.Client.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", hook.URL, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s", hook.URL, resp.Status)
	}
	return nil
}

// Sign returns the X-Cairn-Signature of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
