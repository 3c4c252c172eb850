package disk

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// fileID names a data file (or an inline data record): 128 random bits.
type fileID [16]byte

func newFileID() fileID {
	var id fileID
	rand.Read(id[:])
	return id
}

// String is the file's name: 32 lower-case hex digits.
func (id fileID) String() string { return hex.EncodeToString(id[:]) }

// parseFileID reads a data file's name; ok is false for any other name.
func parseFileID(name string) (fileID, bool) {
	var id fileID
	if len(name) != 2*len(id) {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(name)); err != nil {
		return id, false
	}
	return id, name == id.String()
}

// versionTag is the random half of a version ID; it makes IDs unguessable
// from the seq alone.
type versionTag [8]byte

func newVersionTag() versionTag {
	var t versionTag
	rand.Read(t[:])
	return t
}

// versionIDLen is the length of an encoded version ID: 16 bytes in
// unpadded URL-safe base64.
const versionIDLen = 22

// formatVersionID encodes a version's seq and tag into its opaque ID.
func formatVersionID(seq uint64, tag versionTag) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], seq)
	copy(raw[8:], tag[:])
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// parseVersionID decodes a version ID other than "null". Anything that is
// not one of ours fails with ErrInvalidVersionID.
func parseVersionID(id string) (uint64, versionTag, error) {
	var tag versionTag
	if len(id) != versionIDLen {
		return 0, tag, fmt.Errorf("version id %q: %w", id, objstore.ErrInvalidVersionID)
	}
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(raw) != 16 {
		return 0, tag, fmt.Errorf("version id %q: %w", id, objstore.ErrInvalidVersionID)
	}
	copy(tag[:], raw[8:])
	return binary.BigEndian.Uint64(raw[:8]), tag, nil
}

// formatUploadID makes an upload ID whose byte order is initiation order:
// the seq and 8 random bytes, in hex.
func formatUploadID(seq uint64) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], seq)
	rand.Read(raw[8:])
	return hex.EncodeToString(raw[:])
}

// validUploadID tells whether id has the form of our upload IDs.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}
