package events

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// awsPutSample is an ObjectCreated:Put record as S3 documents it (event
// message structure, version 2.1), for a versioned bucket.
const awsPutSample = `{
  "Records": [
    {
      "eventVersion": "2.1",
      "eventSource": "aws:s3",
      "awsRegion": "us-west-2",
      "eventTime": "2026-03-01T12:34:56.789Z",
      "eventName": "ObjectCreated:Put",
      "userIdentity": {"principalId": "AIDAJDPLRKLG7UEXAMPLE"},
      "requestParameters": {"sourceIPAddress": "172.16.0.1"},
      "responseElements": {
        "x-amz-request-id": "C3D13FE58DE4C810",
        "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"
      },
      "s3": {
        "s3SchemaVersion": "1.0",
        "configurationId": "testConfigRule",
        "bucket": {
          "name": "amzn-s3-demo-bucket",
          "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
          "arn": "arn:aws:s3:::amzn-s3-demo-bucket"
        },
        "object": {
          "key": "photos/Happy+Face+%281%29.jpg",
          "size": 1024,
          "eTag": "d41d8cd98f00b204e9800998ecf8427e",
          "versionId": "096fKKXTRTtl3on89fVO.nfljtsv6qko",
          "sequencer": "0055AED6DCD90281E5"
        }
      }
    }
  ]
}`

// awsDeleteMarkerSample is an ObjectRemoved:DeleteMarkerCreated record:
// no size and no eTag.
const awsDeleteMarkerSample = `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-west-2",
"eventTime":"2026-03-01T12:35:00.000Z","eventName":"ObjectRemoved:DeleteMarkerCreated",
"userIdentity":{"principalId":"AIDAJDPLRKLG7UEXAMPLE"},"requestParameters":{"sourceIPAddress":"172.16.0.1"},
"responseElements":{"x-amz-request-id":"D3D13FE58DE4C811","x-amz-id-2":"abc"},
"s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule",
"bucket":{"name":"amzn-s3-demo-bucket","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::amzn-s3-demo-bucket"},
"object":{"key":"photos/Happy+Face+%281%29.jpg","versionId":"Kq4ix9TwcXhTE0RRmRA8sHAHExEYNvVi","sequencer":"0055AED6DCD90281F0"}}}]}`

func sampleEvent(name string) Event {
	return Event{
		Name: name, Bucket: "amzn-s3-demo-bucket", Key: "photos/Happy Face (1).jpg",
		Size: 1024, ETag: "d41d8cd98f00b204e9800998ecf8427e", VersionID: "096fKKXTRTtl3on89fVO.nfljtsv6qko",
		Time:      time.Date(2026, 3, 1, 12, 34, 56, 789_000_000, time.UTC),
		Principal: "AIDAJDPLRKLG7UEXAMPLE", SourceIP: "172.16.0.1",
		RequestID: "C3D13FE58DE4C810", HostID: "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
		Region: "us-west-2", OwnerID: "A3NL1KOZZKExample", Sequencer: "0055AED6DCD90281E5",
	}
}

// flatten lists every leaf of a JSON document as path=value (value with
// its JSON type), so two documents compare field by field.
func flatten(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("decode %s: %v", doc, err)
	}
	out := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		default:
			out[path] = fmt.Sprintf("%T:%v", x, x)
		}
	}
	walk("", v)
	return out
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestRecordHasAWSShape(t *testing.T) {
	for _, tc := range []struct {
		name, sample string
		event        Event
	}{
		{"put", awsPutSample, sampleEvent(ObjectCreatedPut)},
		{"delete marker", awsDeleteMarkerSample, func() Event {
			e := sampleEvent(ObjectRemovedDeleteMarkerCreated)
			e.Time = time.Date(2026, 3, 1, 12, 35, 0, 0, time.UTC)
			e.RequestID, e.HostID = "D3D13FE58DE4C811", "abc"
			e.VersionID, e.Sequencer = "Kq4ix9TwcXhTE0RRmRA8sHAHExEYNvVi", "0055AED6DCD90281F0"
			return e
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(Records{Records: []Record{NewRecord(tc.event, "testConfigRule")}})
			if err != nil {
				t.Fatal(err)
			}
			want, have := flatten(t, []byte(tc.sample)), flatten(t, got)
			if !reflect.DeepEqual(keys(want), keys(have)) {
				t.Fatalf("fields differ from S3's:\n got %v\nwant %v", keys(have), keys(want))
			}
			for k, w := range want {
				if have[k] != w {
					t.Errorf("%s = %s, S3 sends %s", k, have[k], w)
				}
			}
		})
	}
}

func TestUnversionedRecordHasNoVersionID(t *testing.T) {
	e := sampleEvent(ObjectCreatedPut)
	e.VersionID = "null"
	r := NewRecord(e, "c")
	if r.S3.Object.VersionID != "" {
		t.Errorf("versionId %q on an unversioned object; S3 sends none", r.S3.Object.VersionID)
	}
}

func TestEncodeKeyAsS3(t *testing.T) {
	for key, want := range map[string]string{
		"plain.txt":             "plain.txt",
		"dir/sub/file name.jpg": "dir/sub/file+name.jpg",
		"a+b=c&d.txt":           "a%2Bb%3Dc%26d.txt",
		"2026-01-01T00:00:00":   "2026-01-01T00%3A00%3A00",
		"ünïcode ß.txt":         "%C3%BCn%C3%AFcode+%C3%9F.txt",
		"tilde~star*under_":     "tilde%7Estar*under_",
		"(paren)'quote'":        "%28paren%29%27quote%27",
	} {
		got := EncodeKey(key)
		if got != want {
			t.Errorf("EncodeKey(%q) = %q, want %q", key, got, want)
		}
		// What the Lambda handlers do: replace '+' by ' ', then decode.
		back, err := url.PathUnescape(strings.ReplaceAll(got, "+", " "))
		if err != nil || back != key {
			t.Errorf("decoding %q gives %q (%v), want %q", got, back, err, key)
		}
	}
}
