package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The disk tier keeps each object version in two files: a data file that
// holds the object's cached blocks at their own offsets (a sparse file of
// the object's size, so that a complete one is a plain copy of the
// object), and an index file that names the version and records, for each
// block, whether it is there:
//
//	magic [4]byte "cidx"
//	format uint32     (2)
//	nameLen uint32
//	crc uint32        CRC-32C of the header (this field zero) and the name
//	size uint64       of the object
//	blockSize uint64
//	name [nameLen]byte
//	entries, one per block of the object, 8 bytes each:
//	  length uint32   0: the block is not there
//	  crc uint32      CRC-32C of the block's bytes
//
// All integers are little endian. A block is written to the data file
// before its entry, and its bytes are checked against the entry whenever
// they are read, so a block torn by a crash is a miss, never wrong bytes.
const (
	indexHeaderSize = 32
	entrySize       = 8
	indexFormat     = 2
)

var indexMagic = [4]byte{'c', 'i', 'd', 'x'}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errBadIndex marks an index file that failed verification.
var errBadIndex = errors.New("bad index file")

// indexHeader returns the start of an index file: the header and the name,
// which the entries follow.
func indexHeader(name string, size, blockSize int64) []byte {
	buf := make([]byte, indexHeaderSize+len(name))
	copy(buf[0:4], indexMagic[:])
	binary.LittleEndian.PutUint32(buf[4:], indexFormat)
	binary.LittleEndian.PutUint32(buf[8:], uint32(len(name)))
	binary.LittleEndian.PutUint64(buf[16:], uint64(size))
	binary.LittleEndian.PutUint64(buf[24:], uint64(blockSize))
	copy(buf[indexHeaderSize:], name)
	binary.LittleEndian.PutUint32(buf[12:], crc32.Checksum(buf, castagnoli))
	return buf
}

// indexFile is what an index file says.
type indexFile struct {
	name            string
	size, blockSize int64
	entries         []byte // entrySize bytes per block
}

// decodeIndex verifies the contents of an index file and returns them.
// Entries missing at the end (a file cut short) read as absent blocks.
func decodeIndex(buf []byte) (indexFile, error) {
	var ix indexFile
	if len(buf) < indexHeaderSize {
		return ix, fmt.Errorf("%w: %d bytes is shorter than the header", errBadIndex, len(buf))
	}
	if !bytes.Equal(buf[0:4], indexMagic[:]) {
		return ix, fmt.Errorf("%w: bad magic", errBadIndex)
	}
	if f := binary.LittleEndian.Uint32(buf[4:]); f != indexFormat {
		return ix, fmt.Errorf("%w: format %d", errBadIndex, f)
	}
	nameLen := int(binary.LittleEndian.Uint32(buf[8:]))
	if len(buf) < indexHeaderSize+nameLen {
		return ix, fmt.Errorf("%w: name cut short", errBadIndex)
	}
	head := bytes.Clone(buf[:indexHeaderSize+nameLen])
	want := binary.LittleEndian.Uint32(head[12:])
	binary.LittleEndian.PutUint32(head[12:], 0)
	if crc32.Checksum(head, castagnoli) != want {
		return ix, fmt.Errorf("%w: header checksum mismatch", errBadIndex)
	}
	ix.name = string(head[indexHeaderSize:])
	ix.size = int64(binary.LittleEndian.Uint64(head[16:]))
	ix.blockSize = int64(binary.LittleEndian.Uint64(head[24:]))
	if ix.size <= 0 || ix.blockSize <= 0 {
		return ix, fmt.Errorf("%w: size %d, block size %d", errBadIndex, ix.size, ix.blockSize)
	}
	ix.entries = buf[indexHeaderSize+nameLen:]
	return ix, nil
}

// entry returns block i's entry of an index: its length and checksum,
// length 0 when the block is absent.
func (ix indexFile) entry(i int64) (length, crc uint32) {
	off := i * entrySize
	if off+entrySize > int64(len(ix.entries)) {
		return 0, 0
	}
	e := ix.entries[off:]
	return binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:])
}

// encodeEntry returns an index entry.
func encodeEntry(length, crc uint32) []byte {
	var e [entrySize]byte
	binary.LittleEndian.PutUint32(e[0:], length)
	binary.LittleEndian.PutUint32(e[4:], crc)
	return e[:]
}

// blockCount is the number of blocks of an object of size bytes.
func blockCount(size, blockSize int64) int64 {
	return (size + blockSize - 1) / blockSize
}
