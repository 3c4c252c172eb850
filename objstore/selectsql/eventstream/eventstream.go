// Package eventstream writes and reads the AWS event-stream encoding that
// SelectObjectContent answers in: a sequence of messages, each a prelude
// (total length, headers length, CRC32 of the two), headers, a payload
// and a CRC32 of all that came before.
package eventstream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Header is one header of a message. Only string values (type 7) are
// written; they are the only kind S3 Select sends.
type Header struct {
	Name, Value string
}

// Message is one event-stream message.
type Message struct {
	Headers []Header
	Payload []byte
}

// Get returns the value of a header, or "".
func (m *Message) Get(name string) string {
	for _, h := range m.Headers {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

const (
	preludeLen = 12
	crcLen     = 4
	// headerString is the value type of a string header.
	headerString = 7
	// MaxMessage bounds a message read, against a damaged stream.
	MaxMessage = 16 << 20
)

// Append appends the encoding of m to dst.
func Append(dst []byte, m *Message) ([]byte, error) {
	hlen := 0
	for _, h := range m.Headers {
		if len(h.Name) > 255 || len(h.Value) > 65535 {
			return dst, fmt.Errorf("event-stream header %q: too long", h.Name)
		}
		hlen += 1 + len(h.Name) + 1 + 2 + len(h.Value)
	}
	total := preludeLen + hlen + len(m.Payload) + crcLen
	start := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(total))
	dst = binary.BigEndian.AppendUint32(dst, uint32(hlen))
	dst = binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:start+8]))
	for _, h := range m.Headers {
		dst = append(dst, byte(len(h.Name)))
		dst = append(dst, h.Name...)
		dst = append(dst, headerString)
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(h.Value)))
		dst = append(dst, h.Value...)
	}
	dst = append(dst, m.Payload...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:])), nil
}

// Read reads one message; io.EOF when the stream ends between messages.
func Read(r io.Reader) (*Message, error) {
	var prelude [preludeLen]byte
	if _, err := io.ReadFull(r, prelude[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("read event-stream prelude: %w", err)
	}
	total := binary.BigEndian.Uint32(prelude[0:4])
	hlen := binary.BigEndian.Uint32(prelude[4:8])
	if crc32.ChecksumIEEE(prelude[:8]) != binary.BigEndian.Uint32(prelude[8:12]) {
		return nil, errors.New("event-stream prelude CRC mismatch")
	}
	if total > MaxMessage || total < preludeLen+crcLen || hlen > total-preludeLen-crcLen {
		return nil, fmt.Errorf("event-stream message of %d bytes with %d of headers: malformed", total, hlen)
	}
	buf := make([]byte, total)
	copy(buf, prelude[:])
	if _, err := io.ReadFull(r, buf[preludeLen:]); err != nil {
		return nil, fmt.Errorf("read event-stream message: %w", err)
	}
	body := buf[:total-crcLen]
	if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(buf[total-crcLen:]) {
		return nil, errors.New("event-stream message CRC mismatch")
	}
	headers, err := parseHeaders(body[preludeLen : preludeLen+hlen])
	if err != nil {
		return nil, err
	}
	return &Message{Headers: headers, Payload: body[preludeLen+hlen:]}, nil
}

// parseHeaders reads string headers.
func parseHeaders(b []byte) ([]Header, error) {
	var hs []Header
	for len(b) > 0 {
		n := int(b[0])
		if len(b) < 1+n+3 {
			return nil, errors.New("event-stream header truncated")
		}
		name := string(b[1 : 1+n])
		b = b[1+n:]
		if b[0] != headerString {
			return nil, fmt.Errorf("event-stream header %q: value type %d not supported", name, b[0])
		}
		vl := int(binary.BigEndian.Uint16(b[1:3]))
		if len(b) < 3+vl {
			return nil, errors.New("event-stream header value truncated")
		}
		hs = append(hs, Header{Name: name, Value: string(b[3 : 3+vl])})
		b = b[3+vl:]
	}
	return hs, nil
}
