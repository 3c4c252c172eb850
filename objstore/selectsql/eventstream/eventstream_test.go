package eventstream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

func TestLayout(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, nil)
	if err := w.Records([]byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	msg := b.Bytes()
	total := binary.BigEndian.Uint32(msg[0:4])
	hlen := binary.BigEndian.Uint32(msg[4:8])
	if int(total) != len(msg) {
		t.Errorf("total length %d, message is %d bytes", total, len(msg))
	}
	if crc32.ChecksumIEEE(msg[:8]) != binary.BigEndian.Uint32(msg[8:12]) {
		t.Error("prelude CRC wrong")
	}
	if crc32.ChecksumIEEE(msg[:len(msg)-4]) != binary.BigEndian.Uint32(msg[len(msg)-4:]) {
		t.Error("message CRC wrong")
	}
	headers := msg[12 : 12+hlen]
	// The first header: name length, ":message-type", type 7, value length 5, "event".
	want := append([]byte{13}, ":message-type"...)
	want = append(append(want, 7, 0, 5), "event"...)
	if !bytes.HasPrefix(headers, want) {
		t.Errorf("first header %q, want %q", headers[:len(want)], want)
	}
	if got := string(msg[12+hlen : len(msg)-4]); got != "a,b\n" {
		t.Errorf("payload %q", got)
	}
}

func TestRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, nil)
	w.Records([]byte("x"))
	w.Cont()
	w.Progress(Stats{Scanned: 1, Processed: 2, Returned: 3})
	w.Stats(Stats{Scanned: 10, Processed: 20, Returned: 30})
	w.End()
	w.Error("CastFailed", "no")
	var got []string
	for {
		m, err := Read(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Get(":message-type")+"/"+m.Get(":event-type")+m.Get(":error-code")+"/"+m.Get(":content-type")+"/"+string(m.Payload))
	}
	want := []string{
		"event/Records/application/octet-stream/x",
		"event/Cont//",
		"event/Progress/text/xml/" + `<?xml version="1.0" encoding="UTF-8"?><Progress><BytesScanned>1</BytesScanned><BytesProcessed>2</BytesProcessed><BytesReturned>3</BytesReturned></Progress>`,
		"event/Stats/text/xml/" + `<?xml version="1.0" encoding="UTF-8"?><Stats><BytesScanned>10</BytesScanned><BytesProcessed>20</BytesProcessed><BytesReturned>30</BytesReturned></Stats>`,
		"event/End//",
		"error/CastFailed//",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w.Sent != 6 {
		t.Errorf("Sent %d", w.Sent)
	}
}

func TestDamage(t *testing.T) {
	msg, _ := Append(nil, &Message{Headers: []Header{{"a", "b"}}, Payload: []byte("payload")})
	for i := range msg {
		bad := bytes.Clone(msg)
		bad[i] ^= 0x40
		if _, err := Read(bytes.NewReader(bad)); err == nil {
			t.Errorf("a flipped bit at %d went unnoticed", i)
		}
	}
	if _, err := Read(bytes.NewReader(msg[:len(msg)-1])); err == nil {
		t.Error("a truncated message read")
	}
}
