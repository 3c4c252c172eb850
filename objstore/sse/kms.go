package sse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// DefaultKMSAlias names the key SSE-KMS uses when a request names none,
// as S3's AWS-managed key does; it is created on first use.
const DefaultKMSAlias = "alias/aws/s3"

// KeyInfo describes a key of the key service.
type KeyInfo struct {
	ID          string    `json:"id"`
	Description string    `json:"description,omitempty"`
	Aliases     []string  `json:"aliases,omitempty"`
	Enabled     bool      `json:"enabled"`
	Created     time.Time `json:"created"`
	// Version is the current version: the one new data keys are sealed
	// with. Older versions still open what they sealed.
	Version uint32 `json:"version"`
}

// kmsKey is a key as stored: its versions' material sealed by the
// master key.
type kmsKey struct {
	KeyInfo
	Versions []kmsVersion `json:"versions"`
}

type kmsVersion struct {
	Version  uint32    `json:"version"`
	Created  time.Time `json:"created"`
	Material []byte    `json:"material"` // sealed by the master key
}

// kmsState is the content of kms.json.
type kmsState struct {
	Keys []*kmsKey `json:"keys"`
}

func parseKMSState(b []byte) (*kmsState, error) {
	st := &kmsState{}
	if len(b) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("parse %s: %w", kmsFile, err)
	}
	return st, nil
}

// find returns the key an ID, an alias (alias/NAME) or an ARN ending in
// either names.
func (st *kmsState) find(ref string) (*kmsKey, error) {
	ref = trimARN(ref)
	for _, k := range st.Keys {
		if k.ID == ref {
			return k, nil
		}
		for _, a := range k.Aliases {
			if a == ref {
				return k, nil
			}
		}
	}
	return nil, fmt.Errorf("KMS key %q: %w", ref, ErrKMSNotFound)
}

// namesDefault reports whether ref names the default key: no reference,
// its alias or the alias's ARN.
func namesDefault(ref string) bool {
	return ref == "" || trimARN(ref) == DefaultKMSAlias
}

// trimARN reduces arn:aws:kms:REGION:ACCOUNT:key/ID (or :alias/NAME) to
// ID (or alias/NAME).
func trimARN(ref string) string {
	if !strings.HasPrefix(ref, "arn:") {
		return ref
	}
	parts := strings.SplitN(ref, ":", 6)
	if len(parts) < 6 {
		return ref
	}
	if id, ok := strings.CutPrefix(parts[5], "key/"); ok {
		return id
	}
	return parts[5]
}

// KeyID returns the ID of the key ref names: an ID, an alias or an ARN
// of either; no reference names the default key (DefaultKMSAlias),
// created on first use. It fails with ErrKMSNotFound.
func (s *Service) KeyID(ref string) (string, error) {
	if namesDefault(ref) {
		ref = DefaultKMSAlias
		if err := s.ensureDefault(context.Background()); err != nil {
			return "", err
		}
	}
	st, err := s.kms()
	if err != nil {
		return "", err
	}
	k, err := st.find(ref)
	if err != nil {
		return "", err
	}
	return k.ID, nil
}

// KeyARN is a key reference as AWS reports it in responses: the key ID
// ID becomes arn:aws:kms:REGION:ACCOUNT:key/ID, the alias alias/NAME
// arn:aws:kms:REGION:ACCOUNT:alias/NAME; an ARN, or no reference, stays
// as it is. Requests may name a key in any of these forms (see find).
func KeyARN(region, account, ref string) string {
	if ref == "" || strings.HasPrefix(ref, "arn:") {
		return ref
	}
	resource := "key/" + ref
	if strings.HasPrefix(ref, "alias/") {
		resource = ref
	}
	return "arn:aws:kms:" + region + ":" + account + ":" + resource
}

func (st *kmsState) encode() ([]byte, error) {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kmsFile, err)
	}
	return append(b, '\n'), nil
}

// version returns version v of the key.
func (k *kmsKey) version(v uint32) (*kmsVersion, error) {
	for i := range k.Versions {
		if k.Versions[i].Version == v {
			return &k.Versions[i], nil
		}
	}
	return nil, fmt.Errorf("KMS key %s has no version %d: %w", k.ID, v, ErrKMSNotFound)
}

// newKMSKey makes a key with its first version.
func newKMSKey(master []byte, alias, description string) (*kmsKey, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("key id: %w", err)
	}
	h := hex.EncodeToString(id[:])
	k := &kmsKey{KeyInfo: KeyInfo{
		ID:          h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
		Description: description, Enabled: true, Created: time.Now().UTC(),
	}}
	if alias != "" {
		k.Aliases = []string{alias}
	}
	return k, k.addVersion(master)
}

// addVersion gives the key a new current version with fresh material.
func (k *kmsKey) addVersion(master []byte) error {
	material := make([]byte, KeySize)
	if _, err := rand.Read(material); err != nil {
		return fmt.Errorf("key material: %w", err)
	}
	v := kmsVersion{Version: k.Version + 1, Created: time.Now().UTC()}
	e := &envelope{kind: kindMaster, keyID: k.ID, keyVersion: v.Version}
	if err := sealMaterial(master, e, material, ""); err != nil {
		return err
	}
	v.Material = e.encode()
	k.Versions = append(k.Versions, v)
	k.Version = v.Version
	return nil
}

// material opens version v of the key.
func (k *kmsKey) material(master []byte, v uint32) ([]byte, error) {
	kv, err := k.version(v)
	if err != nil {
		return nil, err
	}
	e, err := decodeEnvelope(kv.Material)
	if err != nil {
		return nil, fmt.Errorf("KMS key %s version %d: %w", k.ID, v, err)
	}
	return openMaterial(master, e, "")
}

// checkAlias validates an alias name as KMS does: alias/ and a name that
// does not start with aws/.
func checkAlias(alias string) error {
	name, ok := strings.CutPrefix(alias, "alias/")
	switch {
	case !ok || name == "":
		return fmt.Errorf("alias %q must look like alias/NAME", alias)
	case strings.HasPrefix(name, "aws/"):
		return fmt.Errorf("alias %q: the aws/ prefix is reserved", alias)
	case strings.ContainsAny(name, " \t\n:"):
		return fmt.Errorf("alias %q has a blank or a colon", alias)
	}
	return nil
}

var errAliasTaken = errors.New("alias is taken")

// sameContent tells whether two stats of a file (replaced whole on every
// change) see the same content.
func sameContent(a, b os.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.ModTime().Equal(b.ModTime()) && a.Size() == b.Size()
}
