package sse

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"slices"
)

// Sizes of the chunked format.
const (
	// ChunkSize is the plaintext length of every chunk but the last.
	ChunkSize = 64 << 10
	// TagSize is what each layer adds to a chunk.
	TagSize = 16
	// HeaderSize is the length of a data file's header.
	HeaderSize = 16
	// KeySize is the length of one layer's AES-256 key.
	KeySize = 32
)

// magic opens every encrypted data file.
var magic = [4]byte{'C', 'S', 'E', '1'}

// DataKey is the secret of one version's data: an AES-256-GCM key per
// layer (one, or two for DSSE-KMS).
type DataKey struct {
	layers []cipher.AEAD
}

// NewDataKey makes a data key from its material: KeySize bytes per layer.
func NewDataKey(material []byte) (*DataKey, error) {
	if len(material) == 0 || len(material)%KeySize != 0 || len(material) > 2*KeySize {
		return nil, fmt.Errorf("data key of %d bytes: want %d or %d", len(material), KeySize, 2*KeySize)
	}
	k := &DataKey{}
	for off := 0; off < len(material); off += KeySize {
		a, err := newGCM(material[off : off+KeySize])
		if err != nil {
			return nil, err
		}
		k.layers = append(k.layers, a)
	}
	return k, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes key: %w", err)
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("aes-gcm: %w", err)
	}
	return a, nil
}

// Layers is the number of encryption layers of the key.
func (k *DataKey) Layers() int { return len(k.layers) }

// overhead is what the key's layers add to one chunk.
func (k *DataKey) overhead() int { return TagSize * len(k.layers) }

// chunks is the number of chunks of a plaintext: at least one, so that
// even empty data ends in an authenticated last chunk.
func chunks(plain int64) int64 {
	if plain <= 0 {
		return 1
	}
	return (plain + ChunkSize - 1) / ChunkSize
}

// EncryptedSize is the stored length of plain bytes encrypted with layers
// layers.
func EncryptedSize(plain int64, layers int) int64 {
	return HeaderSize + plain + chunks(plain)*int64(TagSize*layers)
}

// header is the first bytes of an encrypted file: magic, layer count and
// the random nonce prefix of the file's chunks.
type header [HeaderSize]byte

func newHeader(layers int, prefix [8]byte) header {
	var h header
	copy(h[:4], magic[:])
	h[4] = byte(layers)
	copy(h[8:], prefix[:])
	return h
}

func (h *header) check(k *DataKey) error {
	if [4]byte(h[:4]) != magic {
		return fmt.Errorf("not encrypted data (header %x)", h[:4])
	}
	if int(h[4]) != k.Layers() {
		return fmt.Errorf("data has %d encryption layers, key %d", h[4], k.Layers())
	}
	return nil
}

// nonce is the GCM nonce of chunk index: the file's prefix and the index.
func (h *header) nonce(index uint32) [12]byte {
	var n [12]byte
	copy(n[:8], h[8:])
	binary.BigEndian.PutUint32(n[8:], index)
	return n
}

// aad is what each chunk is authenticated with besides its bytes: the
// header, its index and whether it is the last.
func (h *header) aad(buf *[HeaderSize + 5]byte, index uint32, last bool) []byte {
	copy(buf[:], h[:])
	binary.BigEndian.PutUint32(buf[HeaderSize:], index)
	buf[HeaderSize+4] = 0
	if last {
		buf[HeaderSize+4] = 1
	}
	return buf[:]
}

// sealChunk appends the sealed chunk to dst: each layer over the last.
func (k *DataKey) sealChunk(dst []byte, h *header, index uint32, last bool, plain []byte) []byte {
	var abuf [HeaderSize + 5]byte
	nonce, aad := h.nonce(index), h.aad(&abuf, index, last)
	start := len(dst)
	// Room for the sealed chunk, or Seal would copy dst anew every time.
	dst = slices.Grow(dst, len(plain)+k.overhead())
	dst = k.layers[0].Seal(dst, nonce[:], plain, aad)
	for _, a := range k.layers[1:] {
		dst = a.Seal(dst[:start], nonce[:], dst[start:], aad)
	}
	return dst
}

// openChunk decrypts a sealed chunk in place and returns its plaintext.
func (k *DataKey) openChunk(h *header, index uint32, last bool, sealed []byte) ([]byte, error) {
	var abuf [HeaderSize + 5]byte
	nonce, aad := h.nonce(index), h.aad(&abuf, index, last)
	out := sealed
	for i := len(k.layers) - 1; i >= 0; i-- {
		var err error
		if out, err = k.layers[i].Open(out[:0], nonce[:], out, aad); err != nil {
			return nil, fmt.Errorf("chunk %d: %w", index, ErrTampered)
		}
	}
	return out, nil
}
