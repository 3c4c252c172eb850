// Package replicate copies new object versions of a bucket to another
// bucket, as S3 replication does: a bucket's ReplicationConfiguration
// (rules with prefix and tag filters, a destination bucket, a storage class
// override, optional delete-marker replication) decides which versions go
// where; a Store wrapper marks each such version PENDING and puts it on a
// persistent queue; a worker copies it and marks it COMPLETED, or FAILED
// while its retries go on. A replica on the same store is marked REPLICA;
// one on a remote endpoint is an ordinary write there.
//
// Versions written before the rules are replicated only on request
// (Replicator.QueueExisting, or RequestExisting for the process that
// holds the data directory), as S3 leaves them to Batch Replication.
//
// Destinations are buckets on the same store, named by S3's bucket ARN
// (arn:aws:s3:::bucket), or buckets on any S3 endpoint registered as a
// named target in the data directory (see Targets), named by an ARN whose
// partition is "cairn" and whose region field holds the target's name:
// arn:cairn:s3:TARGET::bucket.
//
// What lives under the data directory's replication/ folder:
//
//	queue/         one file per version or delete marker to replicate
//	requests/      replicate-existing requests (.req) and their answers (.done)
//	targets.json   the remote targets and their credentials (mode 0600)
package replicate
