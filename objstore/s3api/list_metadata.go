package s3api

import (
	"encoding/xml"
	"maps"
	"slices"

	"github.com/cairnfs/cairn/objstore"
)

// ListObjectsV2 with metadata=true (an extension MinIO also answers)
// carries each object's user metadata and content type, so that a client
// needing them (a file system showing modes and owners) makes no HEAD per
// object:
//
//	<UserMetadata><X-Amz-Meta-Mode>33188</X-Amz-Meta-Mode><content-type>text/plain</content-type></UserMetadata>
//
// An object with a metadata name that cannot be an XML element name
// carries no UserMetadata element: a client then reads it with HEAD.

// listedMetadata is the UserMetadata element of one listed object.
type listedMetadata struct {
	contentType string
	user        map[string]string
}

// newListedMetadata returns the UserMetadata element of o; nil when a
// name cannot be written as an element.
func newListedMetadata(o *objstore.ObjectInfo) *listedMetadata {
	for name := range o.UserMetadata {
		if !xmlNameSafe(name) {
			return nil
		}
	}
	return &listedMetadata{contentType: o.ContentType, user: o.UserMetadata}
}

// MarshalXML writes the metadata as one element per entry, in name order.
func (m *listedMetadata) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(m.user)) {
		if err := enc.EncodeElement(m.user[name], xml.StartElement{Name: xml.Name{Local: "X-Amz-Meta-" + name}}); err != nil {
			return err
		}
	}
	if m.contentType != "" {
		if err := enc.EncodeElement(m.contentType, xml.StartElement{Name: xml.Name{Local: "content-type"}}); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}

// xmlNameSafe tells whether "X-Amz-Meta-"+name is an XML element name
// that reads back unchanged: letters, digits, '-', '_' and '.'.
func xmlNameSafe(name string) bool {
	for _, c := range []byte(name) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}
