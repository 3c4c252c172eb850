package cache

import (
	"encoding/binary"
	"hash/fnv"
)

// ObjectID names one immutable object version.
type ObjectID struct {
	// Bucket is the bucket holding the object.
	Bucket string
	// Key is the object key.
	Key string
	// Version is the object's ETag or version id; a new version of the
	// object must have a different Version.
	Version string
}

// BlockKey names one block of one immutable object version.
type BlockKey struct {
	// Bucket is the bucket holding the object.
	Bucket string
	// Key is the object key.
	Key string
	// Version is the object's ETag or version id.
	Version string
	// Index is the block's position: the block holds bytes
	// [Index*BlockSize, (Index+1)*BlockSize) of the object.
	Index int64
}

// block returns the key of block i of the object.
func (o ObjectID) block(i int64) BlockKey {
	return BlockKey{Bucket: o.Bucket, Key: o.Key, Version: o.Version, Index: i}
}

// name encodes the object version and the block size into an
// unambiguous byte string: every field is length-prefixed, so no two
// different versions share a name. The block size is part of the name so
// that blocks cut at one size are never read as blocks of another.
func (o ObjectID) name(blockSize int64) string {
	b := make([]byte, 0, len(o.Bucket)+len(o.Key)+len(o.Version)+4*binary.MaxVarintLen64)
	b = binary.AppendUvarint(b, uint64(blockSize))
	for _, s := range []string{o.Bucket, o.Key, o.Version} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return string(b)
}

// blockName is the name of block idx of the object named oname: the
// object's name followed by the index.
func blockName(oname string, idx int64) string {
	return string(binary.AppendUvarint([]byte(oname), uint64(idx)))
}

// objectHash is a stable 64-bit hash of a bucket and key, shared by all
// versions of the object. It names the disk tier's files so that Invalidate
// finds every version of an object.
func objectHash(bucket, key string) uint64 {
	h := fnv.New64a()
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(bucket)))])
	h.Write([]byte(bucket))
	h.Write([]byte(key))
	return h.Sum64()
}

// nameHash is a stable 64-bit hash of an object version's name.
func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}
