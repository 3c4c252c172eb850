package events

import "strings"

// Records is the JSON document S3 delivers: {"Records": [...]}.
type Records struct {
	Records []Record `json:"Records"`
}

// Record is one S3 event record (event version 2.1).
type Record struct {
	EventVersion      string            `json:"eventVersion"`
	EventSource       string            `json:"eventSource"`
	AWSRegion         string            `json:"awsRegion"`
	EventTime         string            `json:"eventTime"`
	EventName         string            `json:"eventName"`
	UserIdentity      Identity          `json:"userIdentity"`
	RequestParameters RequestParameters `json:"requestParameters"`
	ResponseElements  ResponseElements  `json:"responseElements"`
	S3                S3Entity          `json:"s3"`
	GlacierEventData  *GlacierEventData `json:"glacierEventData,omitempty"`
}

// Identity names a principal.
type Identity struct {
	PrincipalID string `json:"principalId"`
}

// RequestParameters describe the request that caused the event.
type RequestParameters struct {
	SourceIPAddress string `json:"sourceIPAddress"`
}

// ResponseElements are the identifiers the server answered with.
type ResponseElements struct {
	RequestID string `json:"x-amz-request-id"`
	HostID    string `json:"x-amz-id-2"`
}

// S3Entity is the record's "s3" member.
type S3Entity struct {
	SchemaVersion   string       `json:"s3SchemaVersion"`
	ConfigurationID string       `json:"configurationId"`
	Bucket          BucketEntity `json:"bucket"`
	Object          ObjectEntity `json:"object"`
}

// BucketEntity names the bucket.
type BucketEntity struct {
	Name          string   `json:"name"`
	OwnerIdentity Identity `json:"ownerIdentity"`
	ARN           string   `json:"arn"`
}

// ObjectEntity describes the object. Size and ETag are absent from
// removal events, VersionID from events on unversioned objects.
type ObjectEntity struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"eTag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	Sequencer string `json:"sequencer"`
}

// GlacierEventData is the restore part of ObjectRestore:Completed records.
type GlacierEventData struct {
	RestoreEventData RestoreEventData `json:"restoreEventData"`
}

// RestoreEventData tells until when a restored copy stays, and the class
// of the archived object.
type RestoreEventData struct {
	LifecycleRestorationExpiryTime string `json:"lifecycleRestorationExpiryTime"`
	LifecycleRestoreStorageClass   string `json:"lifecycleRestoreStorageClass"`
}

// timeFormat is S3's eventTime: UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z"

// NewRecord builds the S3 record of e for the notification configuration
// configID.
func NewRecord(e Event, configID string) Record {
	r := Record{
		EventVersion: "2.1",
		EventSource:  "aws:s3",
		AWSRegion:    e.Region,
		EventTime:    e.Time.UTC().Format(timeFormat),
		EventName:    strings.TrimPrefix(e.Name, "s3:"),
		UserIdentity: Identity{PrincipalID: e.Principal},
		RequestParameters: RequestParameters{
			SourceIPAddress: e.SourceIP,
		},
		ResponseElements: ResponseElements{RequestID: e.RequestID, HostID: e.HostID},
		S3: S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: configID,
			Bucket: BucketEntity{
				Name:          e.Bucket,
				OwnerIdentity: Identity{PrincipalID: e.OwnerID},
				ARN:           "arn:aws:s3:::" + e.Bucket,
			},
			Object: objectEntity(e),
		},
	}
	if strings.HasPrefix(e.Name, "s3:ObjectRestore:Completed") && !e.RestoreExpiry.IsZero() {
		r.GlacierEventData = &GlacierEventData{RestoreEventData{
			LifecycleRestorationExpiryTime: e.RestoreExpiry.UTC().Format(timeFormat),
			LifecycleRestoreStorageClass:   e.StorageClass,
		}}
	}
	return r
}

// objectEntity describes e's object as S3 does: creations carry size and
// ETag, removals do not.
func objectEntity(e Event) ObjectEntity {
	o := ObjectEntity{Key: EncodeKey(e.Key), Sequencer: e.Sequencer}
	if e.VersionID != "" && e.VersionID != "null" {
		o.VersionID = e.VersionID
	}
	if carriesContent(e.Name) {
		size := e.Size
		o.Size, o.ETag = &size, e.ETag
	}
	return o
}

// carriesContent tells whether records of the event name describe the
// object's data (size and ETag): creations, restores and transitions do,
// removals and tag changes do not.
func carriesContent(name string) bool {
	for _, p := range []string{"s3:ObjectCreated:", "s3:ObjectRestore:", "s3:LifecycleTransition"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// EncodeKey URL-encodes an object key as S3 event records carry it: the
// UTF-8 bytes percent-encoded except letters, digits, "-_.*" and "/",
// with spaces as "+". decodeURIComponent(key.replace(/\+/g, " ")) and
// urllib.parse.unquote_plus take it back.
func EncodeKey(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == '*', c == '/':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
