package storetest

import (
	"bytes"

	"github.com/cairnfs/cairn/objstore"
)

func rangeCases() []testCase {
	return []testCase{
		{"FirstLast", testRangeFirstLast},
		{"OpenEnded", testRangeOpenEnded},
		{"Suffix", testRangeSuffix},
		{"LastBeyondSize", testRangeLastBeyondSize},
		{"FirstBeyondSize", testRangeFirstBeyondSize},
		{"SuffixLargerThanSize", testRangeSuffixLargerThanSize},
		{"LargeObject", testRangeLargeObject},
		{"OfVersion", testRangeOfVersion},
		{"PartNumberOfSimpleObject", testRangePartNumberSimple},
	}
}

// rangeObjectSize is the size of the object most range cases read.
const rangeObjectSize = 1000

// expectRange reads r of k and checks the bytes and what the store says
// they are: data[off:off+n] of an object of len(data) bytes.
func (e *env) expectRange(b, k string, data []byte, r objstore.Range, off, n int64) {
	e.t.Helper()
	got, obj := e.get(b, k, objstore.GetOptions{Range: &r})
	if obj.Offset != off || obj.Length != n || !obj.Ranged {
		e.t.Fatalf("range %s: Offset %d Length %d Ranged %v, want %d %d true",
			r.String(), obj.Offset, obj.Length, obj.Ranged, off, n)
	}
	if !bytes.Equal(got, data[off:off+n]) {
		e.t.Fatalf("range %s: wrong bytes (%d bytes, md5 %s)", r.String(), len(got), md5hex(got))
	}
	etagOK := obj.Info.ETag == md5hex(data) || isMultipartETag(obj.Info.ETag)
	if obj.Info.Size != int64(len(data)) || !etagOK {
		e.t.Fatalf("range %s: Info Size %d ETag %q, want the whole object's %d %q",
			r.String(), obj.Info.Size, obj.Info.ETag, len(data), md5hex(data))
	}
}

// rangeObject stores the object range cases read.
func (e *env) rangeObject() (string, []byte) {
	e.t.Helper()
	b := e.bucket()
	data := fill(rangeObjectSize, 42)
	e.put(b, "obj", data)
	return b, data
}

func testRangeFirstLast(e *env) {
	b, data := e.rangeObject()
	e.expectRange(b, "obj", data, objstore.Range{First: 10, Last: 19}, 10, 10)
	e.expectRange(b, "obj", data, objstore.Range{First: 0, Last: 0}, 0, 1)
	e.expectRange(b, "obj", data, objstore.Range{First: 999, Last: 999}, 999, 1)
	e.expectRange(b, "obj", data, objstore.Range{First: 0, Last: 999}, 0, 1000)
}

func testRangeOpenEnded(e *env) {
	b, data := e.rangeObject()
	e.expectRange(b, "obj", data, objstore.Range{First: 900, Last: -1}, 900, 100)
	e.expectRange(b, "obj", data, objstore.Range{First: 0, Last: -1}, 0, 1000)
	e.expectRange(b, "obj", data, objstore.Range{First: 999, Last: -1}, 999, 1)
}

func testRangeSuffix(e *env) {
	b, data := e.rangeObject()
	e.expectRange(b, "obj", data, objstore.Range{SuffixLength: 10}, 990, 10)
	e.expectRange(b, "obj", data, objstore.Range{SuffixLength: 1}, 999, 1)
	e.expectRange(b, "obj", data, objstore.Range{SuffixLength: 1000}, 0, 1000)
}

func testRangeLastBeyondSize(e *env) {
	b, data := e.rangeObject()
	e.expectRange(b, "obj", data, objstore.Range{First: 995, Last: 5000}, 995, 5)
	e.expectRange(b, "obj", data, objstore.Range{First: 0, Last: 1000}, 0, 1000)
}

func testRangeFirstBeyondSize(e *env) {
	b, _ := e.rangeObject()
	for _, r := range []objstore.Range{{First: 1000, Last: -1}, {First: 1000, Last: 1010}, {First: 5000, Last: 6000}} {
		_, _, err := e.tryGet(b, "obj", objstore.GetOptions{Range: &r})
		mustErr(e.t, err, objstore.ErrInvalidRange)
	}
}

func testRangeSuffixLargerThanSize(e *env) {
	b, data := e.rangeObject()
	e.expectRange(b, "obj", data, objstore.Range{SuffixLength: 5000}, 0, 1000)
	e.expectRange(b, "obj", data, objstore.Range{SuffixLength: 1001}, 0, 1000)
}

func testRangeLargeObject(e *env) {
	b := e.bucket()
	data := fill(3<<20+17, 43)
	e.put(b, "big", data)
	ranges := []struct {
		r      objstore.Range
		off, n int64
	}{
		{objstore.Range{First: 64<<10 - 5, Last: 64<<10 + 4}, 64<<10 - 5, 10},
		{objstore.Range{First: 1 << 20, Last: 2<<20 + 99}, 1 << 20, 1<<20 + 100},
		{objstore.Range{First: 3 << 20, Last: -1}, 3 << 20, 17},
		{objstore.Range{SuffixLength: 70 << 10}, int64(len(data)) - 70<<10, 70 << 10},
		{objstore.Range{First: 12345, Last: 3 << 20}, 12345, 3<<20 - 12345 + 1},
	}
	for _, c := range ranges {
		e.expectRange(b, "big", data, c.r, c.off, c.n)
	}
}

func testRangeOfVersion(e *env) {
	b := e.versionedBucket()
	old := fill(rangeObjectSize, 1)
	v1 := e.put(b, "obj", old)
	e.put(b, "obj", fill(rangeObjectSize, 2))
	r := objstore.Range{First: 100, Last: 199}
	got, obj := e.get(b, "obj", objstore.GetOptions{VersionID: v1.VersionID, Range: &r})
	if !bytes.Equal(got, old[100:200]) || obj.Info.VersionID != v1.VersionID {
		e.t.Fatalf("range of version %s: wrong bytes or version %q", v1.VersionID, obj.Info.VersionID)
	}
}

func testRangePartNumberSimple(e *env) {
	b, data := e.rangeObject()
	got, obj := e.get(b, "obj", objstore.GetOptions{PartNumber: 1})
	if !bytes.Equal(got, data) || obj.Offset != 0 || obj.Length != int64(len(data)) {
		e.t.Fatalf("part 1 of a simple object: %d bytes at %d, want the whole object", obj.Length, obj.Offset)
	}
	_, _, err := e.tryGet(b, "obj", objstore.GetOptions{PartNumber: 2})
	mustErr(e.t, err, objstore.ErrInvalidPartNumber)
}
