package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
	"github.com/spf13/pflag"
)

// writeFlags are the options of what a command writes: encryption at rest
// and storage class.
type writeFlags struct {
	sse, kmsKeyID, customerKeyFile string
	storageClass                   string
}

// register adds --sse, --sse-kms-key-id, --sse-c-key-file and, with
// class, --storage-class.
func (w *writeFlags) register(fl *pflag.FlagSet, class bool) {
	fl.StringVar(&w.sse, "sse", "", "encrypt what is written at rest: AES256, aws:kms or aws:kms:dsse")
	fl.StringVar(&w.kmsKeyID, "sse-kms-key-id", "", "KMS key (ID, alias/NAME or ARN) of --sse aws:kms; implies it")
	fl.StringVar(&w.customerKeyFile, "sse-c-key-file", "", "encrypt with this SSE-C key (a file of 32 bytes, raw or base64), sent on every read and write")
	if class {
		fl.StringVar(&w.storageClass, "storage-class", "", "storage class of the objects written (STANDARD, STANDARD_IA, GLACIER, ...)")
	}
}

// defaults reads the flags into what every write asks for.
func (w *writeFlags) defaults() (sse.WriteDefaults, error) {
	d := sse.WriteDefaults{StorageClass: objstore.StorageClass(w.storageClass)}
	if d.StorageClass != "" && !slices.Contains(objstore.StorageClasses, d.StorageClass) {
		return d, usagef("--storage-class %q: want one of %v", w.storageClass, objstore.StorageClasses)
	}
	alg := w.sse
	if alg == "" && w.kmsKeyID != "" {
		alg = "aws:kms"
	}
	switch {
	case alg != "" && w.customerKeyFile != "":
		return d, usagef("--sse and --sse-c-key-file do not go together")
	case w.kmsKeyID != "" && !strings.HasPrefix(alg, "aws:kms"):
		return d, usagef("--sse-kms-key-id goes with --sse aws:kms or aws:kms:dsse")
	case alg != "" && alg != "AES256" && alg != "aws:kms" && alg != "aws:kms:dsse":
		return d, usagef("--sse %q: want AES256, aws:kms or aws:kms:dsse", alg)
	}
	d.Encryption = objstore.Encryption{Algorithm: alg, KMSKeyID: w.kmsKeyID}
	if w.customerKeyFile != "" {
		key, err := readCustomerKey(w.customerKeyFile)
		if err != nil {
			return d, err
		}
		d.Encryption.CustomerKey = key
	}
	return d, nil
}

// apply wraps st so that what it writes follows the flags.
func (w *writeFlags) apply(st objstore.Store) (objstore.Store, error) {
	d, err := w.defaults()
	if err != nil {
		return nil, err
	}
	return sse.Apply(st, d), nil
}

// readCustomerKey reads an SSE-C key file: 32 raw bytes, or their base64.
func readCustomerKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read SSE-C key: %w", err)
	}
	if len(b) == sse.KeySize {
		return b, nil
	}
	if k, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b))); err == nil && len(k) == sse.KeySize {
		return k, nil
	}
	return nil, usagef("--sse-c-key-file %s: want %d bytes, raw or in base64", path, sse.KeySize)
}

// encryptionText describes how an object is encrypted at rest, for stat.
func encryptionText(enc objstore.Encryption) string {
	switch {
	case enc.CustomerAlgorithm != "":
		return "SSE-C (key MD5 " + enc.CustomerKeyMD5 + ")"
	case enc.KMSKeyID != "":
		return enc.Algorithm + " (key " + enc.KMSKeyID + ")"
	}
	return enc.Algorithm
}
