package eventstream

import (
	"fmt"
	"io"
)

// Writer sends the events of a SelectObjectContent response.
type Writer struct {
	w     io.Writer
	flush func() error
	buf   []byte
	// Sent counts the messages written.
	Sent int
}

// NewWriter writes events to w, calling flush (when not nil) after each
// so that they reach the client as they are made.
func NewWriter(w io.Writer, flush func() error) *Writer {
	return &Writer{w: w, flush: flush}
}

func (w *Writer) send(m *Message) error {
	var err error
	if w.buf, err = Append(w.buf[:0], m); err != nil {
		return err
	}
	if _, err := w.w.Write(w.buf); err != nil {
		return fmt.Errorf("send %s event: %w", m.Get(":event-type"), err)
	}
	w.Sent++
	if w.flush != nil {
		return w.flush()
	}
	return nil
}

func event(kind, contentType string, payload []byte) *Message {
	m := &Message{Headers: []Header{{":message-type", "event"}, {":event-type", kind}}, Payload: payload}
	if contentType != "" {
		m.Headers = append(m.Headers, Header{":content-type", contentType})
	}
	return m
}

// Records sends a chunk of result records.
func (w *Writer) Records(p []byte) error {
	return w.send(event("Records", "application/octet-stream", p))
}

// Stats are the byte counts of Stats and Progress events.
type Stats struct {
	// Scanned is what was read of the object, Processed what that
	// decompressed to, Returned the bytes of records sent.
	Scanned, Processed, Returned int64
}

func (s Stats) xml(root string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?><%s><BytesScanned>%d</BytesScanned><BytesProcessed>%d</BytesProcessed><BytesReturned>%d</BytesReturned></%s>`,
		root, s.Scanned, s.Processed, s.Returned, root)
}

// Progress sends a Progress event.
func (w *Writer) Progress(s Stats) error {
	return w.send(event("Progress", "text/xml", s.xml("Progress")))
}

// Stats sends the Stats event that closes a successful scan.
func (w *Writer) Stats(s Stats) error {
	return w.send(event("Stats", "text/xml", s.xml("Stats")))
}

// Cont sends a keep-alive.
func (w *Writer) Cont() error { return w.send(event("Cont", "", nil)) }

// End sends the last event.
func (w *Writer) End() error { return w.send(event("End", "", nil)) }

// Error sends an error message, which ends the stream.
func (w *Writer) Error(code, message string) error {
	return w.send(&Message{Headers: []Header{
		{":message-type", "error"}, {":error-code", code}, {":error-message", message},
	}})
}
