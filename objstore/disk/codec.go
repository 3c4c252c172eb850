package disk

import (
	"encoding/binary"
	"errors"
	"slices"
)

var errShortRecord = errors.New("truncated metadata record")

// encoder appends the fields of a metadata record to a buffer: integers as
// varints, strings and byte slices with a length in front.
type encoder struct{ b []byte }

func (e *encoder) byte(v byte)    { e.b = append(e.b, v) }
func (e *encoder) uint(v uint64)  { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)    { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) raw(p []byte)   { e.b = append(e.b, p...) }
func (e *encoder) str(s string)   { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bytes(p []byte) { e.uint(uint64(len(p))); e.b = append(e.b, p...) }
func (e *encoder) bool(v bool)    { e.byte(boolByte(v)) }
func (e *encoder) strMap(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.uint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// decoder reads what encoder wrote. It works on a string copy of the
// record, so that every string field it returns shares that one
// allocation. The first failure sticks in err and every later read
// returns a zero value.
type decoder struct {
	s   string
	err error
}

func newDecoder(b []byte) decoder { return decoder{s: string(b)} }

func (d *decoder) fail() { d.err = errShortRecord; d.s = "" }

func (d *decoder) byte() byte {
	if len(d.s) < 1 {
		d.fail()
		return 0
	}
	v := d.s[0]
	d.s = d.s[1:]
	return v
}

func (d *decoder) uint() uint64 {
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
	}
	d.fail()
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *decoder) raw(p []byte) {
	if len(d.s) < len(p) {
		d.fail()
		return
	}
	copy(p, d.s)
	d.s = d.s[len(p):]
}

func (d *decoder) str() string {
	n := d.uint()
	if uint64(len(d.s)) < n {
		d.fail()
		return ""
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

func (d *decoder) bool() bool { return d.byte() != 0 }

func (d *decoder) strMap() map[string]string {
	n := d.uint()
	if n == 0 || n > uint64(len(d.s)) {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}
