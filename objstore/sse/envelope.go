package sse

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// The kinds of key a data key is sealed under.
const (
	kindMaster   byte = 1
	kindKMS      byte = 2
	kindCustomer byte = 3
)

// envelopeFormat is the first byte of a sealed data key.
const envelopeFormat = 1

// envelope is a sealed data key and the name of the key it is sealed
// under; its encoding is what a version record stores.
type envelope struct {
	kind       byte
	keyID      string
	keyVersion uint32
	nonce      [12]byte
	sealed     []byte
}

func (e *envelope) encode() []byte {
	b := make([]byte, 0, 2+binary.MaxVarintLen64+len(e.keyID)+4+12+len(e.sealed))
	b = append(b, envelopeFormat, e.kind)
	b = binary.AppendUvarint(b, uint64(len(e.keyID)))
	b = append(b, e.keyID...)
	b = binary.BigEndian.AppendUint32(b, e.keyVersion)
	b = append(b, e.nonce[:]...)
	return append(b, e.sealed...)
}

var errBadEnvelope = errors.New("sealed data key is malformed")

func decodeEnvelope(b []byte) (*envelope, error) {
	if len(b) < 2 || b[0] != envelopeFormat {
		return nil, errBadEnvelope
	}
	e := &envelope{kind: b[1]}
	n, k := binary.Uvarint(b[2:])
	rest := b[2:]
	if k <= 0 || uint64(len(rest)-k) < n+4+12 {
		return nil, errBadEnvelope
	}
	rest = rest[k:]
	e.keyID, rest = string(rest[:n]), rest[n:]
	e.keyVersion, rest = binary.BigEndian.Uint32(rest), rest[4:]
	copy(e.nonce[:], rest[:12])
	e.sealed = rest[12:]
	return e, nil
}

// aad binds a sealed data key to the key it is sealed under and to the
// encryption context it was made with.
func (e *envelope) aad(context string) []byte {
	b := []byte("cairn-sse-datakey\x00")
	b = append(b, e.kind)
	b = append(b, e.keyID...)
	b = binary.BigEndian.AppendUint32(append(b, 0), e.keyVersion)
	return append(b, context...)
}

// sealMaterial seals data key material under a wrapping key.
func sealMaterial(wrap []byte, e *envelope, material []byte, context string) error {
	a, err := newGCM(wrap)
	if err != nil {
		return err
	}
	if _, err := rand.Read(e.nonce[:]); err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	e.sealed = a.Seal(nil, e.nonce[:], material, e.aad(context))
	return nil
}

// openMaterial opens the material of a sealed data key.
func openMaterial(wrap []byte, e *envelope, context string) ([]byte, error) {
	a, err := newGCM(wrap)
	if err != nil {
		return nil, err
	}
	m, err := a.Open(nil, e.nonce[:], e.sealed, e.aad(context))
	if err != nil {
		return nil, fmt.Errorf("unseal data key: %w", ErrTampered)
	}
	return m, nil
}
