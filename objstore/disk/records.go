package disk

import (
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Each record starts with a format byte so that later releases can add
// fields and still read what earlier ones wrote.
const recordFormat1 = 1

// bucketRecord is the value of a B key.
type bucketRecord struct {
	Created    int64 // unix nanoseconds
	Region     string
	Versioning objstore.VersioningState
	// Tags is the bucket's tag set; records written before bucket tags
	// existed end before it.
	Tags objstore.Tags
	// Configs holds the bucket's feature configurations (policy, CORS,
	// lifecycle, …) by name; records written before them end after Tags.
	Configs map[string]string
}

func (r *bucketRecord) encode() []byte {
	e := encoder{b: make([]byte, 0, 32)}
	e.byte(recordFormat1)
	e.int(r.Created)
	e.str(r.Region)
	e.str(string(r.Versioning))
	if len(r.Tags) > 0 || len(r.Configs) > 0 {
		e.strMap(r.Tags)
	}
	if len(r.Configs) > 0 {
		e.strMap(r.Configs)
	}
	return e.b
}

func decodeBucket(b []byte) (*bucketRecord, error) {
	d := newDecoder(b)
	if f := d.byte(); f != recordFormat1 {
		return nil, fmt.Errorf("bucket record format %d: %w", f, errShortRecord)
	}
	r := &bucketRecord{Created: d.int(), Region: d.str(), Versioning: objstore.VersioningState(d.str())}
	if d.err == nil && d.s != "" {
		r.Tags = d.strMap()
	}
	if d.err == nil && d.s != "" {
		r.Configs = d.strMap()
	}
	if d.err != nil {
		return nil, fmt.Errorf("bucket record: %w", d.err)
	}
	return r, nil
}

func (r *bucketRecord) info(name string) objstore.BucketInfo {
	return objstore.BucketInfo{
		Name:       name,
		Created:    time.Unix(0, r.Created).UTC(),
		Region:     r.Region,
		Versioning: r.Versioning,
	}
}
