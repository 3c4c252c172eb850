package main

import (
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
	set := sse.WriteSettings{SSE: w.sse, KMSKeyID: w.kmsKeyID, CustomerKeyFile: w.customerKeyFile, StorageClass: w.storageClass}
	d, err := set.Defaults(func(setting string) string { return "--" + setting })
	if err != nil {
		return d, usagef("%v", err)
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
