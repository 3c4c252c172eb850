package s3api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/internal/atomicfile"
	"github.com/cairnfs/cairn/objstore/iam"
)

// Credential is an access key and its secret.
type Credential struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// StaticCredentials maps access keys to secret keys.
type StaticCredentials map[string]string

// SecretKey returns the secret of accessKey.
func (c StaticCredentials) SecretKey(accessKey string) (string, bool) {
	s, ok := c[accessKey]
	return s, ok
}

// ErrNoRootCredential reports a data directory whose server never started
// and no credential in the environment.
var ErrNoRootCredential = errors.New("no root credential: start cairn serve once, or set CAIRN_ACCESS_KEY and CAIRN_SECRET_KEY")

// ReadRootCredential returns the root credential as LoadRootCredential
// does, but never generates one: it fails with ErrNoRootCredential.
func ReadRootCredential(dir string, getenv func(string) string) (Credential, error) {
	c, err := rootCredential(dir, getenv)
	if errors.Is(err, fs.ErrNotExist) {
		return c, fmt.Errorf("%s: %w", dir, ErrNoRootCredential)
	}
	return c, err
}

// rootCredentialFile is where a data directory keeps its generated root
// credential.
const rootCredentialFile = "root-credential.json"

// LoadRootCredential returns the server's root credential: from env when
// both CAIRN_ACCESS_KEY and CAIRN_SECRET_KEY are set there, else the one
// kept in dir, generated (mode 0600) on first use. created tells that it
// was generated now, so the caller can print it once.
func LoadRootCredential(dir string, getenv func(string) string) (c Credential, created bool, err error) {
	c, err = rootCredential(dir, getenv)
	if !errors.Is(err, fs.ErrNotExist) {
		return c, false, err
	}
	path := filepath.Join(dir, rootCredentialFile)
	c = Credential{}
	c.AccessKey, c.SecretKey = iam.NewKeyPair("CAIRN")
	if err := writeFileSync(path, c); err != nil {
		return c, false, err
	}
	return c, true, nil
}

// rootCredential reads the root credential from the environment or dir;
// an error wrapping fs.ErrNotExist means there is none.
func rootCredential(dir string, getenv func(string) string) (c Credential, err error) {
	ak, sk := getenv("CAIRN_ACCESS_KEY"), getenv("CAIRN_SECRET_KEY")
	switch {
	case ak != "" && sk != "":
		return Credential{AccessKey: ak, SecretKey: sk}, nil
	case ak != "" || sk != "":
		return c, errors.New("set both CAIRN_ACCESS_KEY and CAIRN_SECRET_KEY, or neither")
	}
	path := filepath.Join(dir, rootCredentialFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("read root credential: %w", err)
	}
	if err := json.Unmarshal(data, &c); err != nil || c.AccessKey == "" || c.SecretKey == "" {
		return c, fmt.Errorf("read root credential %s: malformed file", path)
	}
	return c, nil
}

// writeFileSync writes v as JSON to path with mode 0600, durably.
func writeFileSync(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o600)
}

// ownerID derives the canonical user ID that listings show from the root
// access key, so it is stable across restarts.
func ownerID(root Credential) string {
	sum := sha256.Sum256([]byte("cairn-owner:" + root.AccessKey))
	return hex.EncodeToString(sum[:])
}
