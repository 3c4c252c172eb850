package history

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
)

// commonPartSizes are part sizes that uploaders commonly use: S3's
// minimum, the default of cairn's transfers and of the aws CLI, and larger
// powers of two.
var commonPartSizes = []int64{5 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20, 128 << 20}

// sameContent tells whether r, of size bytes, holds the data of a version
// with etag: the MD5 of the data, or for a multipart object the MD5 of the
// part MD5s and "-N". The part size of a multipart object is not stored,
// so the common ones that give N parts are tried, all in one read.
func sameContent(r io.Reader, size int64, etag string) (bool, error) {
	sum, count, multipart := strings.Cut(strings.Trim(etag, `"`), "-")
	if !multipart {
		h := md5.New()
		if _, err := io.Copy(h, r); err != nil {
			return false, fmt.Errorf("hash: %w", err)
		}
		return hex.EncodeToString(h.Sum(nil)) == sum, nil
	}
	n, err := strconv.ParseInt(count, 10, 64)
	if err != nil || n < 1 {
		return false, nil
	}
	hashers := partHashers(size, n)
	if len(hashers) == 0 {
		return false, nil
	}
	ws := make([]io.Writer, len(hashers))
	for i, h := range hashers {
		ws[i] = h
	}
	if _, err := io.Copy(io.MultiWriter(ws...), r); err != nil {
		return false, fmt.Errorf("hash: %w", err)
	}
	want := sum + "-" + count
	for _, h := range hashers {
		if h.etag() == want {
			return true, nil
		}
	}
	return false, nil
}

// partHashers returns a hasher for each candidate part size that cuts
// size bytes into exactly n parts.
func partHashers(size, n int64) []*partHasher {
	const mib = 1 << 20
	even := (size + n - 1) / n
	candidates := append([]int64{even, (even + mib - 1) / mib * mib}, commonPartSizes...)
	var out []*partHasher
	seen := map[int64]bool{}
	for _, ps := range candidates {
		if ps <= 0 || seen[ps] || (size+ps-1)/ps != n {
			continue
		}
		seen[ps] = true
		out = append(out, &partHasher{partSize: ps, part: md5.New(), all: md5.New()})
	}
	return out
}

// partHasher computes the multipart ETag of a stream cut into parts of
// partSize bytes.
type partHasher struct {
	partSize int64
	filled   int64
	parts    int
	part     hash.Hash
	all      hash.Hash
}

func (h *partHasher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(int64(len(p)), h.partSize-h.filled)
		h.part.Write(p[:k])
		h.filled += k
		p = p[k:]
		if h.filled == h.partSize {
			h.endPart()
		}
	}
	return n, nil
}

func (h *partHasher) endPart() {
	h.all.Write(h.part.Sum(nil))
	h.part.Reset()
	h.filled = 0
	h.parts++
}

// etag finishes the stream and returns its multipart ETag.
func (h *partHasher) etag() string {
	if h.filled > 0 {
		h.endPart()
	}
	return hex.EncodeToString(h.all.Sum(nil)) + "-" + strconv.Itoa(h.parts)
}
