package test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// Shapes of what the crash child writes.
const (
	crashBucket          = "crash"
	crashInlineThreshold = 64 << 10 // objects below it live in the KV
	crashPoolSize        = 8 << 20  // random bytes objects are cut from
	crashPartSize        = 5 << 20  // every multipart part but the last
	crashHeaderSize      = 24       // unique bytes that open every object
)

// crashKeys are the keys the child cycles over, so overwrites happen.
func crashKeys() []string {
	return []string{"a", "b", "c", "d", "dir/e", "dir/f", "dir/sub/g", "h"}
}

// crashChild writes to the store forever, announcing each write on out.
type crashChild struct {
	st   objstore.Store
	out  io.Writer
	rng  *rand.Rand
	pool []byte
	// id and seq make the head of every object unique.
	id, seq uint64
}

// runCrashChild opens the store in dir and writes until it is killed. It
// returns only on a failure.
func runCrashChild(ctx context.Context, dir string, seed, round uint64, out io.Writer) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := disk.Open(dir, disk.Options{InlineThreshold: crashInlineThreshold, Logger: log})
	if err != nil {
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	defer st.Close()
	c := &crashChild{st: st, out: out, rng: rand.New(rand.NewPCG(seed, round)), id: round}
	c.pool = make([]byte, crashPoolSize)
	rand.NewChaCha8(seedBytes(seed, round)).Read(c.pool)
	if err := c.setup(ctx); err != nil {
		return err
	}
	for {
		if err := c.step(ctx); err != nil {
			return err
		}
	}
}

func seedBytes(seed, round uint64) [32]byte {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	binary.LittleEndian.PutUint64(b[8:], round)
	return b
}

// setup makes the bucket and turns versioning on; both are idempotent.
func (c *crashChild) setup(ctx context.Context) error {
	err := c.st.CreateBucket(ctx, crashBucket, objstore.CreateBucketOptions{})
	if err != nil && !errors.Is(err, objstore.ErrBucketAlreadyOwnedByYou) {
		return fmt.Errorf("create bucket: %w", err)
	}
	if err := c.st.PutBucketVersioning(ctx, crashBucket, objstore.VersioningEnabled); err != nil {
		return fmt.Errorf("enable versioning: %w", err)
	}
	return c.say(verbReady)
}

// step performs one random mutation on a random key.
func (c *crashChild) step(ctx context.Context) error {
	keys := crashKeys()
	key := keys[c.rng.IntN(len(keys))]
	switch n := c.rng.IntN(100); {
	case n < 45:
		return c.put(ctx, key, c.rng.Int64N(crashInlineThreshold))
	case n < 70:
		return c.put(ctx, key, 1<<20+c.rng.Int64N(2<<20))
	case n < 78:
		return c.multipart(ctx, key, true)
	case n < 83:
		return c.multipart(ctx, key, false)
	default:
		return c.delete(ctx, key)
	}
}

// say writes one protocol line straight to stdout, unbuffered, so that a
// line the parent reads was written before the process died.
func (c *crashChild) say(format string, args ...any) error {
	if _, err := c.out.Write([]byte(fmt.Sprintf(format, args...) + "\n")); err != nil {
		return fmt.Errorf("write protocol line: %w", err)
	}
	return nil
}

// blob is an object's content: a unique head and a slice of the pool.
type blob struct {
	head, tail []byte
}

// newBlob cuts fresh content of size bytes.
func (c *crashChild) newBlob(size int64) blob {
	c.seq++
	head := make([]byte, crashHeaderSize)
	binary.BigEndian.PutUint64(head, c.id)
	binary.BigEndian.PutUint64(head[8:], c.seq)
	binary.BigEndian.PutUint64(head[16:], c.rng.Uint64())
	if size <= crashHeaderSize {
		return blob{head: head[:size]}
	}
	n := size - crashHeaderSize
	off := c.rng.Int64N(int64(len(c.pool)) - n + 1)
	return blob{head: head, tail: c.pool[off : off+n]}
}

func (b blob) size() int64 { return int64(len(b.head) + len(b.tail)) }
func (b blob) reader() io.Reader {
	return io.MultiReader(bytes.NewReader(b.head), bytes.NewReader(b.tail))
}

// hashInto feeds the content to h (a hash never fails a write).
func (b blob) hashInto(h hash.Hash) {
	h.Write(b.head)
	h.Write(b.tail)
}

func (b blob) sha() string {
	h := sha256.New()
	b.hashInto(h)
	return hex.EncodeToString(h.Sum(nil))
}

// put writes one object of size bytes.
func (c *crashChild) put(ctx context.Context, key string, size int64) error {
	b := c.newBlob(size)
	sum := b.sha()
	if err := c.say("%s %s %s %d", verbBegin, key, sum, size); err != nil {
		return err
	}
	info, err := c.st.PutObject(ctx, crashBucket, key, b.reader(), objstore.PutOptions{Size: size})
	if err != nil {
		return fmt.Errorf("put %s (%d bytes): %w", key, size, err)
	}
	return c.say("%s %s %s %s %d", verbAck, key, info.VersionID, sum, size)
}

// delete adds a delete marker to key.
func (c *crashChild) delete(ctx context.Context, key string) error {
	if err := c.say("%s %s", verbDBegin, key); err != nil {
		return err
	}
	res, err := c.st.DeleteObject(ctx, crashBucket, key, objstore.DeleteOptions{})
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if !res.DeleteMarker {
		return fmt.Errorf("delete %s on a versioned bucket made no delete marker", key)
	}
	return c.say("%s %s %s", verbDel, key, res.VersionID)
}
