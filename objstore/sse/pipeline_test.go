package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// manyDecrypters makes pipelined reads use several decrypters whatever
// the machine's CPUs, for the length of the test.
func manyDecrypters(t *testing.T) {
	old := runtime.GOMAXPROCS(maxDecrypters)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// batchBytes is the plaintext length of one batch of a pipelined read.
const batchBytes = pipelineBatch * ChunkSize

func TestPipelinedRangesAcrossBatches(t *testing.T) {
	manyDecrypters(t)
	for _, layers := range []int{1, 2} {
		k := testKey(t, layers)
		size := int64(5*batchBytes + 3*ChunkSize + 101)
		plain := randomBytes(int(size))
		enc, _ := Encrypt(k, plain)
		var bufs Buffers
		for _, r := range pipelineRanges(size) {
			got, err := readRecycled(k, enc, size, r[0], r[1]-r[0], &bufs)
			if err != nil || !bytes.Equal(got, plain[r[0]:r[1]]) {
				t.Fatalf("%d layers, range [%d,%d): %d bytes, wrong (err %v)", layers, r[0], r[1], len(got), err)
			}
		}
	}
}

// pipelineRanges are ranges of data of size bytes that start and end on
// either side of batch and chunk boundaries.
func pipelineRanges(size int64) [][2]int64 {
	edges := []int64{0, 1, ChunkSize - 1, ChunkSize, batchBytes - 1, batchBytes, batchBytes + 1,
		2*batchBytes - 1, 2*batchBytes + ChunkSize, 3 * batchBytes, size - batchBytes - 1, size - 1, size}
	var out [][2]int64
	for _, lo := range edges {
		for _, hi := range edges {
			if hi-lo >= pipelineMin-1 {
				out = append(out, [2]int64{lo, hi})
			}
		}
	}
	return out
}

// readRecycled reads a range through WriteTo with buffers from bufs.
func readRecycled(k *DataKey, enc []byte, size, off, n int64, bufs *Buffers) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(enc), k, size, off, n)
	if err != nil {
		return nil, err
	}
	r.Recycle(bufs)
	defer r.Release()
	var out bytes.Buffer
	_, err = r.WriteTo(&out)
	return out.Bytes(), err
}

func TestPipelinedTamperedChunkNeverSent(t *testing.T) {
	manyDecrypters(t)
	k := testKey(t, 1)
	size := int64(6*batchBytes + 17)
	plain := randomBytes(int(size))
	enc, _ := Encrypt(k, plain)
	stride := ChunkSize + TagSize
	// A chunk in the middle of the third batch, while the batches around
	// it are being decrypted on other goroutines.
	index := 2*pipelineBatch + 1
	bad := append([]byte(nil), enc...)
	bad[HeaderSize+index*stride+stride/2] ^= 1
	for _, off := range []int64{0, 7, batchBytes + 3} {
		got, err := readRange(k, bad, size, off, size-off, true)
		if !errors.Is(err, ErrTampered) {
			t.Fatalf("from %d: %v, want ErrTampered", off, err)
		}
		if sent := off + int64(len(got)); sent > int64(index)*ChunkSize {
			t.Fatalf("from %d: %d bytes sent, beyond the start of tampered chunk %d", off, sent, index)
		}
		if !bytes.Equal(got, plain[off:off+int64(len(got))]) {
			t.Fatalf("from %d: the bytes sent before the failure differ", off)
		}
	}
}

// goneAfter takes limit bytes, then fails as a client that went away.
type goneAfter struct {
	limit, n int
}

var errGone = errors.New("client went away")

func (w *goneAfter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, errGone
	}
	w.n += len(p)
	return len(p), nil
}

func TestPipelinedDisconnectLeavesNoGoroutine(t *testing.T) {
	manyDecrypters(t)
	k := testKey(t, 1)
	size := int64(9*batchBytes + 5)
	enc, _ := Encrypt(k, randomBytes(int(size)))
	var bufs Buffers
	for _, limit := range []int{0, batchBytes, 3*batchBytes + 1} {
		r, err := NewReader(bytes.NewReader(enc), k, size, 0, size)
		if err != nil {
			t.Fatal(err)
		}
		r.Recycle(&bufs)
		n, err := r.WriteTo(&goneAfter{limit: limit})
		r.Release()
		if !errors.Is(err, errGone) || n > int64(limit) {
			t.Fatalf("writer failing after %d bytes: wrote %d, %v", limit, n, err)
		}
		waitNoDecrypter(t)
	}
}

// waitNoDecrypter fails the test if a decrypting goroutine is still
// there once it has had the time to end.
func waitNoDecrypter(t *testing.T) {
	t.Helper()
	if n := pipelinedReads.Load(); n != 0 {
		t.Fatalf("%d pipelined reads still counted in flight", n)
	}
	for range 500 {
		buf := make([]byte, 1<<20)
		if !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "(*pipeline).decrypt") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("a decrypting goroutine outlived its read")
}

// BenchmarkPipelinedToSocket reads an encrypted file through a loopback
// TCP connection drained on the other end, as a GET sends it.
func BenchmarkPipelinedToSocket(b *testing.B) {
	for _, size := range []int64{1 << 20, 64 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			m := make([]byte, KeySize)
			k, _ := NewDataKey(m)
			enc, _ := Encrypt(k, make([]byte, size))
			path := filepath.Join(b.TempDir(), "data")
			if err := os.WriteFile(path, enc, 0o600); err != nil {
				b.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			conn := drainedConn(b)
			var bufs Buffers
			b.SetBytes(size)
			for b.Loop() {
				r, _ := NewReader(f, k, size, 0, size)
				r.Recycle(&bufs)
				if _, err := r.WriteTo(conn); err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
		})
	}
}

// drainedConn is a loopback TCP connection whose other end reads all.
func drainedConn(b *testing.B) net.Conn {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 1<<20)
		for {
			if _, err := c.Read(buf); err != nil {
				break
			}
		}
		c.Close()
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return conn
}

// BenchmarkSendfileToSocket sends a file of the same size in the clear,
// through sendfile: what BenchmarkPipelinedToSocket is measured against.
func BenchmarkSendfileToSocket(b *testing.B) {
	for _, size := range []int64{1 << 20, 64 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "data")
			if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
				b.Fatal(err)
			}
			conn := drainedConn(b)
			b.SetBytes(size)
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := conn.(io.ReaderFrom).ReadFrom(f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
