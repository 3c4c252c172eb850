package sse

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// Use names the object a key is used for, for the audit log.
type Use struct {
	Bucket, Key string
}

// Service is the key service of a data directory: it makes and opens
// data keys under the master key, the KMS keys and customer keys, and
// manages the KMS keys. Every process using the directory may open one:
// changes go through a lock and a file rewritten whole, which each
// Service reads again when it changed.
type Service struct {
	dir   string
	audit *auditLog

	mu     sync.Mutex
	master []byte
	state  *kmsState
	stat   os.FileInfo
}

// Open opens the key directory dir (DATA_DIR/keys), creating it (mode
// 0700) when missing. The master key is made on first use.
func Open(dir string) (*Service, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	a, err := openAudit(dir)
	if err != nil {
		return nil, err
	}
	return &Service{dir: dir, audit: a}, nil
}

// Close releases the audit log.
func (s *Service) Close() error { return s.audit.close() }

// Dir is the key directory.
func (s *Service) Dir() string { return s.dir }

func (s *Service) masterKey(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.master != nil {
		return s.master, nil
	}
	k, err := loadMaster(ctx, s.dir)
	if err != nil {
		return nil, err
	}
	s.master = k
	return k, nil
}

// kms returns the KMS keys as they are on disk now.
func (s *Service) kms() (*kmsState, error) {
	path := filepath.Join(s.dir, kmsFile)
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return &kmsState{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != nil && sameContent(s.stat, fi) {
		return s.state, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	st, err := parseKMSState(b)
	if err != nil {
		return nil, err
	}
	s.state, s.stat = st, fi
	return st, nil
}

// NewDataKey makes a data key for a version to be encrypted as enc and
// returns it, its sealed form and the encryption to record (the KMS key
// resolved to its ID, the customer key reduced to its MD5).
func (s *Service) NewDataKey(ctx context.Context, enc objstore.Encryption, use Use) (*DataKey, []byte, objstore.Encryption, error) {
	out, err := normalize(enc)
	if err != nil {
		return nil, nil, out, err
	}
	material := make([]byte, KeySize*layersOf(out))
	if _, err := rand.Read(material); err != nil {
		return nil, nil, out, fmt.Errorf("data key: %w", err)
	}
	e, err := s.seal(ctx, &out, enc.CustomerKey, material, use)
	if err != nil {
		return nil, nil, out, err
	}
	k, err := NewDataKey(material)
	return k, e, out, err
}

// normalize checks a requested encryption and returns what to record.
func normalize(enc objstore.Encryption) (objstore.Encryption, error) {
	out := objstore.Encryption{Algorithm: enc.Algorithm, BucketKeyEnabled: enc.BucketKeyEnabled}
	if len(enc.CustomerKey) > 0 {
		if enc.Algorithm != "" {
			return out, fmt.Errorf("SSE-C together with %s: %w", enc.Algorithm, objstore.ErrInvalidArgument)
		}
		if len(enc.CustomerKey) != KeySize {
			return out, ErrCustomerKeyInvalid
		}
		return objstore.Encryption{CustomerAlgorithm: CustomerAlgorithm, CustomerKeyMD5: KeyMD5(enc.CustomerKey)}, nil
	}
	switch enc.Algorithm {
	case "AES256":
		if enc.KMSKeyID != "" || enc.KMSContext != "" {
			return out, fmt.Errorf("a KMS key with AES256: %w", ErrNotSupported)
		}
	case "aws:kms", "aws:kms:dsse":
		out.KMSKeyID, out.KMSContext = enc.KMSKeyID, enc.KMSContext
	default:
		return out, fmt.Errorf("server-side encryption %q: %w", enc.Algorithm, ErrNotSupported)
	}
	return out, nil
}

// layersOf is the number of encryption layers of a version encrypted as enc.
func layersOf(enc objstore.Encryption) int {
	if enc.Algorithm == "aws:kms:dsse" {
		return 2
	}
	return 1
}

// seal seals material under the key enc names, resolving a KMS key
// reference in enc to the key's ID.
func (s *Service) seal(ctx context.Context, enc *objstore.Encryption, customer, material []byte, use Use) ([]byte, error) {
	entry := AuditEntry{Op: "GenerateDataKey", Algorithm: algorithmOf(*enc), Bucket: use.Bucket, Object: use.Key}
	e, err := s.sealWith(ctx, enc, customer, material, &entry)
	if err = s.record(entry, err); err != nil {
		return nil, err
	}
	return e.encode(), nil
}

func (s *Service) sealWith(ctx context.Context, enc *objstore.Encryption, customer, material []byte, entry *AuditEntry) (*envelope, error) {
	switch {
	case IsCustomer(*enc):
		e := &envelope{kind: kindCustomer}
		entry.Key = "customer:" + enc.CustomerKeyMD5
		return e, sealMaterial(customer, e, material, "")
	case enc.Algorithm == "AES256":
		e := &envelope{kind: kindMaster}
		entry.Key = "master"
		master, err := s.masterKey(ctx)
		if err != nil {
			return nil, err
		}
		return e, sealMaterial(master, e, material, "")
	}
	k, wrap, err := s.currentKMS(ctx, enc.KMSKeyID)
	if k != nil {
		enc.KMSKeyID, entry.Key, entry.KeyVersion = k.ID, k.ID, k.Version
	} else {
		entry.Key = enc.KMSKeyID
	}
	if err != nil {
		return nil, err
	}
	e := &envelope{kind: kindKMS, keyID: k.ID, keyVersion: k.Version}
	return e, sealMaterial(wrap, e, material, enc.KMSContext)
}

// currentKMS finds the KMS key ref names (the default key when ref is
// empty or names it, created on first use as AWS does) and opens its
// current version.
func (s *Service) currentKMS(ctx context.Context, ref string) (*kmsKey, []byte, error) {
	if namesDefault(ref) {
		ref = DefaultKMSAlias
		if err := s.ensureDefault(ctx); err != nil {
			return nil, nil, err
		}
	}
	st, err := s.kms()
	if err != nil {
		return nil, nil, err
	}
	k, err := st.find(ref)
	if err != nil {
		return nil, nil, err
	}
	if !k.Enabled {
		return k, nil, fmt.Errorf("KMS key %s: %w", k.ID, ErrKMSDisabled)
	}
	master, err := s.masterKey(ctx)
	if err != nil {
		return k, nil, err
	}
	wrap, err := k.material(master, k.Version)
	return k, wrap, err
}

// OpenDataKey opens the sealed data key of a version encrypted as enc;
// customer is the SSE-C key a read gives (nil when it gives none).
func (s *Service) OpenDataKey(ctx context.Context, enc objstore.Encryption, sealed, customer []byte, use Use) (*DataKey, error) {
	if err := CheckCustomerKey(enc, customer); err != nil {
		return nil, err
	}
	entry := AuditEntry{Op: "Decrypt", Algorithm: algorithmOf(enc), Bucket: use.Bucket, Object: use.Key}
	material, err := s.open(ctx, enc, sealed, customer, &entry)
	if err = s.record(entry, err); err != nil {
		return nil, err
	}
	return NewDataKey(material)
}

func (s *Service) open(ctx context.Context, enc objstore.Encryption, sealed, customer []byte, entry *AuditEntry) ([]byte, error) {
	e, err := decodeEnvelope(sealed)
	if err != nil {
		return nil, err
	}
	switch e.kind {
	case kindCustomer:
		entry.Key = "customer:" + enc.CustomerKeyMD5
		m, err := openMaterial(customer, e, "")
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, ErrCustomerKeyWrong)
		}
		return m, nil
	case kindMaster:
		entry.Key = "master"
		master, err := s.masterKey(ctx)
		if err != nil {
			return nil, err
		}
		return openMaterial(master, e, "")
	case kindKMS:
		entry.Key, entry.KeyVersion = e.keyID, e.keyVersion
		wrap, err := s.kmsVersion(ctx, e.keyID, e.keyVersion)
		if err != nil {
			return nil, err
		}
		return openMaterial(wrap, e, enc.KMSContext)
	}
	return nil, errBadEnvelope
}

// kmsVersion opens version v of an enabled KMS key.
func (s *Service) kmsVersion(ctx context.Context, id string, v uint32) ([]byte, error) {
	st, err := s.kms()
	if err != nil {
		return nil, err
	}
	k, err := st.find(id)
	if err != nil {
		return nil, err
	}
	if !k.Enabled {
		return nil, fmt.Errorf("KMS key %s: %w", k.ID, ErrKMSDisabled)
	}
	master, err := s.masterKey(ctx)
	if err != nil {
		return nil, err
	}
	return k.material(master, v)
}

// record appends the audit entry of a use that failed with err (nil: it
// succeeded) and returns err, or the audit log's own failure: a use that
// cannot be recorded is refused.
func (s *Service) record(e AuditEntry, err error) error {
	if err != nil {
		e.Error = err.Error()
	}
	if aerr := s.audit.write(e); aerr != nil && err == nil {
		return aerr
	}
	return err
}

func algorithmOf(enc objstore.Encryption) string {
	if IsCustomer(enc) {
		return "SSE-C"
	}
	return enc.Algorithm
}
