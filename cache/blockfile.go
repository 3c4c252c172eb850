package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// A block file is a fixed header, the block's name, then the block's bytes:
//
//	magic [4]byte "cblk"
//	format uint32   (1)
//	nameLen uint32
//	dataLen uint32
//	crc uint32      CRC-32C of name and data
//	reserved uint32 (0)
//	name [nameLen]byte
//	data [dataLen]byte
//
// All integers are little endian. A file whose length, magic, format, name
// or checksum disagree is not served.
const (
	headerSize  = 24
	blockFormat = 1
)

var blockMagic = [4]byte{'c', 'b', 'l', 'k'}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errBadBlock marks a block file that failed verification.
var errBadBlock = errors.New("bad block file")

// blockHead returns the start of a block file, the header and the name,
// which the block's bytes follow: a block is written without a copy.
func blockHead(name string, data []byte) []byte {
	buf := make([]byte, headerSize+len(name))
	copy(buf[0:4], blockMagic[:])
	binary.LittleEndian.PutUint32(buf[4:], blockFormat)
	binary.LittleEndian.PutUint32(buf[8:], uint32(len(name)))
	binary.LittleEndian.PutUint32(buf[12:], uint32(len(data)))
	copy(buf[headerSize:], name)
	crc := crc32.Update(crc32.Checksum(buf[headerSize:], castagnoli), castagnoli, data)
	binary.LittleEndian.PutUint32(buf[16:], crc)
	return buf
}

// decodeBlock verifies the contents of a block file against the expected
// name and returns the block's bytes, a sub-slice of buf.
func decodeBlock(buf []byte, name string) ([]byte, error) {
	if len(buf) < headerSize {
		return nil, fmt.Errorf("%w: %d bytes is shorter than the header", errBadBlock, len(buf))
	}
	if !bytes.Equal(buf[0:4], blockMagic[:]) {
		return nil, fmt.Errorf("%w: bad magic", errBadBlock)
	}
	if f := binary.LittleEndian.Uint32(buf[4:]); f != blockFormat {
		return nil, fmt.Errorf("%w: format %d", errBadBlock, f)
	}
	nameLen := int64(binary.LittleEndian.Uint32(buf[8:]))
	dataLen := int64(binary.LittleEndian.Uint32(buf[12:]))
	if want := headerSize + nameLen + dataLen; int64(len(buf)) != want {
		return nil, fmt.Errorf("%w: %d bytes, header says %d", errBadBlock, len(buf), want)
	}
	body := buf[headerSize:]
	if string(body[:nameLen]) != name {
		return nil, fmt.Errorf("%w: holds another block", errBadBlock)
	}
	if crc := crc32.Checksum(body, castagnoli); crc != binary.LittleEndian.Uint32(buf[16:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errBadBlock)
	}
	return body[nameLen:], nil
}
