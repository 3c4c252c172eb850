// Package sse is cairn's encryption at rest: the chunked AES-256-GCM
// format object data is stored in, the data keys that encrypt it and the
// key service that seals them.
//
// Every encrypted version has its own random data key. The data is cut
// into 64 KiB chunks, each sealed on its own with AES-256-GCM under a
// nonce made of the data file's random prefix and the chunk's index, and
// authenticated together with the file's header, the index and a flag
// that marks the last chunk: chunks cannot be altered, swapped or cut off
// unnoticed, and a range read decrypts only the chunks it touches.
// DSSE-KMS stores two layers: each chunk is sealed under a second,
// independent data key over the first.
//
// Data keys are stored sealed next to the version's record, never in the
// clear: under the master key (SSE-S3), under a key of the built-in key
// service (SSE-KMS, DSSE-KMS) or under the customer's own key (SSE-C,
// which is never stored). The master key and the key service's keys live
// in a directory of their own (DATA_DIR/keys, mode 0700, files 0600),
// apart from object data; every use of a key is appended to an audit log
// there as a JSON line.
package sse
