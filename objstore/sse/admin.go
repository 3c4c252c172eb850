package sse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/cairnfs/cairn/internal/atomicfile"
)

// change applies fn to the KMS keys as they are on disk, under the key
// directory's lock, and writes the result back when fn succeeds.
func (s *Service) change(ctx context.Context, fn func(st *kmsState, master []byte) error) error {
	master, err := s.masterKey(ctx)
	if err != nil {
		return err
	}
	path := filepath.Join(s.dir, kmsFile)
	return withLock(ctx, s.dir, func() error {
		b, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("read %s: %w", path, err)
		}
		st, err := parseKMSState(b)
		if err != nil {
			return err
		}
		if err := fn(st, master); err != nil {
			return err
		}
		out, err := st.encode()
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(path, out, 0o600)
	})
}

// CreateKey creates a KMS key, with an alias (alias/NAME) when alias is
// not empty.
func (s *Service) CreateKey(ctx context.Context, alias, description string) (KeyInfo, error) {
	var info KeyInfo
	err := s.change(ctx, func(st *kmsState, master []byte) error {
		if alias != "" {
			if err := checkAlias(alias); err != nil {
				return err
			}
			if _, err := st.find(alias); err == nil {
				return fmt.Errorf("%s: %w", alias, errAliasTaken)
			}
		}
		k, err := newKMSKey(master, alias, description)
		if err != nil {
			return err
		}
		st.Keys = append(st.Keys, k)
		info = k.KeyInfo
		return nil
	})
	return info, s.record(AuditEntry{Op: "CreateKey", Key: info.ID, KeyVersion: info.Version}, err)
}

// ListKeys lists the KMS keys in creation order.
func (s *Service) ListKeys(ctx context.Context) ([]KeyInfo, error) {
	st, err := s.kms()
	if err != nil {
		return nil, err
	}
	out := make([]KeyInfo, len(st.Keys))
	for i, k := range st.Keys {
		out[i] = k.KeyInfo
		out[i].Aliases = slices.Clone(k.Aliases)
	}
	return out, nil
}

// RotateKey gives a KMS key a new version: new data keys are sealed with
// it, and every older version still opens what it sealed.
func (s *Service) RotateKey(ctx context.Context, ref string) (KeyInfo, error) {
	return s.changeKey(ctx, "RotateKey", ref, func(k *kmsKey, master []byte) error {
		return k.addVersion(master)
	})
}

// SetKeyEnabled disables or enables a KMS key. While disabled, nothing
// it sealed can be read and nothing new is sealed with it.
func (s *Service) SetKeyEnabled(ctx context.Context, ref string, enabled bool) (KeyInfo, error) {
	op := "DisableKey"
	if enabled {
		op = "EnableKey"
	}
	return s.changeKey(ctx, op, ref, func(k *kmsKey, _ []byte) error {
		k.Enabled = enabled
		return nil
	})
}

func (s *Service) changeKey(ctx context.Context, op, ref string, fn func(k *kmsKey, master []byte) error) (KeyInfo, error) {
	var info KeyInfo
	err := s.change(ctx, func(st *kmsState, master []byte) error {
		k, err := st.find(ref)
		if err != nil {
			return err
		}
		if err := fn(k, master); err != nil {
			return err
		}
		info = k.KeyInfo
		return nil
	})
	key := info.ID
	if key == "" {
		key = ref
	}
	return info, s.record(AuditEntry{Op: op, Key: key, KeyVersion: info.Version}, err)
}

// ensureDefault creates the default SSE-KMS key when it is missing.
func (s *Service) ensureDefault(ctx context.Context) error {
	st, err := s.kms()
	if err != nil {
		return err
	}
	if _, err := st.find(DefaultKMSAlias); err == nil {
		return nil
	}
	return s.change(ctx, func(st *kmsState, master []byte) error {
		if _, err := st.find(DefaultKMSAlias); err == nil {
			return nil
		}
		k, err := newKMSKey(master, DefaultKMSAlias, "Default key for SSE-KMS")
		if err != nil {
			return err
		}
		st.Keys = append(st.Keys, k)
		return nil
	})
}
