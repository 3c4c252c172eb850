package sse

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
)

func testKey(t *testing.T, layers int) *DataKey {
	t.Helper()
	m := make([]byte, KeySize*layers)
	rand.Read(m)
	k, err := NewDataKey(m)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// readRange decrypts [off, off+n) of enc through a Reader, with Read or
// WriteTo.
func readRange(k *DataKey, enc []byte, size, off, n int64, writeTo bool) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(enc), k, size, off, n)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if writeTo {
		_, err = r.WriteTo(&out)
	} else {
		_, err = io.Copy(&out, struct{ io.Reader }{r})
	}
	return out.Bytes(), err
}

func TestRoundTripSizes(t *testing.T) {
	for _, layers := range []int{1, 2} {
		k := testKey(t, layers)
		for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 5} {
			plain := randomBytes(n)
			enc, err := Encrypt(k, plain)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(enc)) != EncryptedSize(int64(n), layers) {
				t.Fatalf("%d bytes, %d layers: stored %d, EncryptedSize says %d", n, layers, len(enc), EncryptedSize(int64(n), layers))
			}
			got, err := Decrypt(k, enc, int64(n))
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("%d bytes, %d layers: round trip differs (err %v)", n, layers, err)
			}
			if n >= 16 && bytes.Contains(enc, plain[:16]) {
				t.Fatalf("%d bytes: plaintext visible in the encrypted data", n)
			}
		}
	}
}

func TestEveryRange(t *testing.T) {
	k := testKey(t, 1)
	size := int64(2*ChunkSize + 100)
	plain := randomBytes(int(size))
	enc, err := Encrypt(k, plain)
	if err != nil {
		t.Fatal(err)
	}
	points := []int64{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 2*ChunkSize - 1, 2 * ChunkSize, size - 1, size}
	for _, off := range points {
		for _, end := range points {
			if end < off {
				continue
			}
			for _, wt := range []bool{false, true} {
				got, err := readRange(k, enc, size, off, end-off, wt)
				if err != nil || !bytes.Equal(got, plain[off:end]) {
					t.Fatalf("range [%d,%d) writeTo=%v: wrong bytes (err %v)", off, end, wt, err)
				}
			}
		}
	}
}

// chunkAt returns the bounds of sealed chunk i in enc.
func chunkAt(k *DataKey, i int) (int, int) {
	stride := ChunkSize + k.overhead()
	return HeaderSize + i*stride, HeaderSize + (i+1)*stride
}

func TestTamperingDetected(t *testing.T) {
	k := testKey(t, 1)
	size := int64(3*ChunkSize + 10)
	plain := randomBytes(int(size))
	enc, _ := Encrypt(k, plain)
	a0, a1 := chunkAt(k, 0)
	b0, b1 := chunkAt(k, 1)
	cases := map[string]func([]byte) []byte{
		"flipped byte in a chunk": func(b []byte) []byte { b[a0+100] ^= 1; return b },
		"flipped header":          func(b []byte) []byte { b[10] ^= 1; return b },
		"chunks swapped": func(b []byte) []byte {
			c0 := append([]byte(nil), b[a0:a1]...)
			copy(b[a0:a1], b[b0:b1])
			copy(b[b0:b1], c0)
			return b
		},
		"last chunk cut off":     func(b []byte) []byte { return b[:HeaderSize+3*(ChunkSize+TagSize)] },
		"last chunk cut short":   func(b []byte) []byte { return b[:len(b)-1] },
		"bytes appended":         func(b []byte) []byte { return append(b, 0) },
		"chunk appended":         func(b []byte) []byte { return append(b, b[a0:a1]...) },
		"middle chunk dropped":   func(b []byte) []byte { return append(b[:b0:b0], b[b1:]...) },
		"wrong layer count":      func(b []byte) []byte { b[4] = 2; return b },
		"not encrypted at all":   func(b []byte) []byte { return plain },
		"truncated to no chunks": func(b []byte) []byte { return b[:HeaderSize] },
	}
	for name, mutate := range cases {
		bad := mutate(append([]byte(nil), enc...))
		_, err := readRange(k, bad, size, 0, size, true)
		if !errors.Is(err, ErrTampered) {
			t.Errorf("%s: read gives %v, want ErrTampered", name, err)
		}
	}
	if _, err := readRange(testKey(t, 1), enc, size, 0, size, false); !errors.Is(err, ErrTampered) {
		t.Errorf("wrong key: read gives %v, want ErrTampered", err)
	}
}

// A range read decrypts only the chunks it touches: a flipped byte in
// another chunk does not fail it.
func TestRangeReadsOnlyItsChunks(t *testing.T) {
	k := testKey(t, 1)
	size := int64(4 * ChunkSize)
	plain := randomBytes(int(size))
	enc, _ := Encrypt(k, plain)
	c0, _ := chunkAt(k, 0)
	enc[c0+5] ^= 1
	got, err := readRange(k, enc, size, 2*ChunkSize+3, 100, false)
	if err != nil || !bytes.Equal(got, plain[2*ChunkSize+3:2*ChunkSize+103]) {
		t.Fatalf("range of chunk 2 with chunk 0 damaged: err %v", err)
	}
}

func TestWriterInPieces(t *testing.T) {
	k := testKey(t, 2)
	plain := randomBytes(5*ChunkSize + 7)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, k)
	if err != nil {
		t.Fatal(err)
	}
	for p := plain; len(p) > 0; {
		n := min(len(p), 1000+len(p)%70000)
		w.Write(p[:n])
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Decrypt(k, buf.Bytes(), int64(len(plain)))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("written in pieces: round trip differs (err %v)", err)
	}
}

// Long ranges are decrypted ahead of the writes: every range of a long
// object still comes out right, and damage anywhere in it is caught.
func TestPipelinedRanges(t *testing.T) {
	k := testKey(t, 2)
	size := int64(23*ChunkSize + 777)
	plain := randomBytes(int(size))
	enc, _ := Encrypt(k, plain)
	for _, r := range [][2]int64{{0, size}, {5, size}, {ChunkSize + 1, size - 3}, {100, 12*ChunkSize + 5}, {3 * ChunkSize, 11 * ChunkSize}} {
		got, err := readRange(k, enc, size, r[0], r[1]-r[0], true)
		if err != nil || !bytes.Equal(got, plain[r[0]:r[1]]) {
			t.Fatalf("range [%d,%d): wrong bytes (err %v)", r[0], r[1], err)
		}
	}
	for _, at := range []int{HeaderSize + 3, len(enc) / 2, len(enc) - 5} {
		bad := append([]byte(nil), enc...)
		bad[at] ^= 1
		if _, err := readRange(k, bad, size, 0, size, true); !errors.Is(err, ErrTampered) {
			t.Errorf("byte %d flipped: %v, want ErrTampered", at, err)
		}
	}
	if _, err := readRange(k, enc[:len(enc)-ChunkSize], size, 0, size, true); !errors.Is(err, ErrTampered) {
		t.Errorf("cut short: %v, want ErrTampered", err)
	}
}
