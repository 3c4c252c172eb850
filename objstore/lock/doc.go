// Package lock holds the rules of S3 Object Lock (WORM) that the disk
// engine and the S3 server share: a bucket's object-lock configuration and
// its default retention, whether a version may be removed or its retention
// changed, and the TOTP devices that MFA delete checks.
//
// It imports nothing of cairn but objstore, so the engine enforces the same
// rules for every writer: S3 clients, mounts and syncs alike.
package lock
