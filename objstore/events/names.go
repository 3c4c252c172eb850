package events

import "strings"

// The event names cairn publishes, as S3 names them in a notification
// configuration. Records carry them without the "s3:" prefix.
const (
	ObjectCreatedPut                     = "s3:ObjectCreated:Put"
	ObjectCreatedPost                    = "s3:ObjectCreated:Post"
	ObjectCreatedCopy                    = "s3:ObjectCreated:Copy"
	ObjectCreatedCompleteMultipartUpload = "s3:ObjectCreated:CompleteMultipartUpload"
	ObjectRemovedDelete                  = "s3:ObjectRemoved:Delete"
	ObjectRemovedDeleteMarkerCreated     = "s3:ObjectRemoved:DeleteMarkerCreated"
	ObjectRestorePost                    = "s3:ObjectRestore:Post"
	ObjectRestoreCompleted               = "s3:ObjectRestore:Completed"
	ObjectRestoreDelete                  = "s3:ObjectRestore:Delete"
	ObjectTaggingPut                     = "s3:ObjectTagging:Put"
	ObjectTaggingDelete                  = "s3:ObjectTagging:Delete"
	LifecycleExpirationDelete            = "s3:LifecycleExpiration:Delete"
	LifecycleExpirationDeleteMarker      = "s3:LifecycleExpiration:DeleteMarkerCreated"
	LifecycleTransition                  = "s3:LifecycleTransition"
	ReplicationFailed                    = "s3:Replication:OperationFailedReplication"
	ReplicationMissedThreshold           = "s3:Replication:OperationMissedThreshold"
	ReplicationAfterThreshold            = "s3:Replication:OperationReplicatedAfterThreshold"
	ReplicationNotTracked                = "s3:Replication:OperationNotTracked"
)

// knownEvents lists every event type a notification configuration may
// name: the names above, their families' wildcards, and the S3 types
// cairn accepts but never raises.
var knownEvents = map[string]bool{
	"s3:ObjectCreated:*": true, ObjectCreatedPut: true, ObjectCreatedPost: true,
	ObjectCreatedCopy: true, ObjectCreatedCompleteMultipartUpload: true,
	"s3:ObjectRemoved:*": true, ObjectRemovedDelete: true, ObjectRemovedDeleteMarkerCreated: true,
	"s3:ObjectRestore:*": true, ObjectRestorePost: true, ObjectRestoreCompleted: true, ObjectRestoreDelete: true,
	"s3:ObjectTagging:*": true, ObjectTaggingPut: true, ObjectTaggingDelete: true,
	"s3:LifecycleExpiration:*": true, LifecycleExpirationDelete: true, LifecycleExpirationDeleteMarker: true,
	LifecycleTransition: true,
	"s3:Replication:*":  true, ReplicationFailed: true, ReplicationMissedThreshold: true,
	ReplicationAfterThreshold: true, ReplicationNotTracked: true,
	"s3:ReducedRedundancyLostObject": true, "s3:IntelligentTiering": true, "s3:ObjectAcl:Put": true,
}

// KnownEvent tells whether name is an event type S3 notifications accept.
func KnownEvent(name string) bool { return knownEvents[name] }

// eventMatches tells whether the configured type pattern (a name or a
// family wildcard such as "s3:ObjectCreated:*") covers the event name.
func eventMatches(pattern, name string) bool {
	if family, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(name, family)
	}
	return pattern == name
}

// eventsOverlap tells whether two configured type patterns cover a common
// event.
func eventsOverlap(a, b string) bool {
	return eventMatches(a, b) || eventMatches(b, a)
}
