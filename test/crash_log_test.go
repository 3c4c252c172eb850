package test

import (
	"fmt"
	"strconv"
	"strings"
)

// The crash child announces every mutation on stdout, one line each, before
// it calls the store ("begin" verbs) and after the call returned ("ack"
// verbs). Key, version and upload IDs never hold spaces.
//
//	ready                                   bucket open and versioned
//	begin  <key> <sha256> <size> [<upload>] PutObject, or CompleteMultipartUpload
//	ack    <key> <version> <sha256> <size>  the put or complete returned
//	dbegin <key>                            DeleteObject (adds a delete marker)
//	del    <key> <marker version>           the delete returned
//	mbegin <key>                            CreateMultipartUpload
//	mpu    <key> <upload>                   the create returned
//	part   <upload> <n> <sha256> <size>     UploadPart
//	pack   <upload> <n> <etag>              the part upload returned
//	abegin <upload>                         AbortMultipartUpload
//	abort  <upload>                         the abort returned
const (
	verbReady   = "ready"
	verbBegin   = "begin"
	verbAck     = "ack"
	verbDBegin  = "dbegin"
	verbDel     = "del"
	verbMBegin  = "mbegin"
	verbMPU     = "mpu"
	verbPart    = "part"
	verbPartAck = "pack"
	verbABegin  = "abegin"
	verbAbort   = "abort"
)

// crashEvent is one protocol line of the crash child.
type crashEvent struct {
	verb     string
	key      string
	sha      string
	size     int64
	version  string
	uploadID string
	part     int
	etag     string
}

// crashFields lists the fields a verb's line carries, in order; known is
// false for a word that is no verb of the protocol.
func crashFields(verb string) (names []string, known bool) {
	switch verb {
	case verbReady:
		return nil, true
	case verbBegin:
		return []string{"key", "sha", "size"}, true
	case verbAck:
		return []string{"key", "version", "sha", "size"}, true
	case verbDBegin, verbMBegin:
		return []string{"key"}, true
	case verbDel:
		return []string{"key", "version"}, true
	case verbMPU:
		return []string{"key", "upload"}, true
	case verbPart:
		return []string{"upload", "part", "sha", "size"}, true
	case verbPartAck:
		return []string{"upload", "part", "etag"}, true
	case verbABegin, verbAbort:
		return []string{"upload"}, true
	}
	return nil, false
}

// parseCrashLine parses one line of the child's stdout. ok is false for a
// line that is no protocol line (the test framework's own output).
func parseCrashLine(line string) (ev crashEvent, ok bool, err error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return ev, false, nil
	}
	names, known := crashFields(f[0])
	if !known {
		return ev, false, nil
	}
	ev.verb = f[0]
	args := f[1:]
	if ev.verb == verbBegin && len(args) == 4 {
		ev.uploadID = args[3]
		args = args[:3]
	}
	if len(args) != len(names) {
		return ev, true, fmt.Errorf("line %q: want %d fields after %q", line, len(names), ev.verb)
	}
	for i, name := range names {
		if err := ev.set(name, args[i]); err != nil {
			return ev, true, fmt.Errorf("line %q: %w", line, err)
		}
	}
	return ev, true, nil
}

func (ev *crashEvent) set(name, v string) error {
	var err error
	switch name {
	case "key":
		ev.key = v
	case "sha":
		ev.sha = v
	case "size":
		ev.size, err = strconv.ParseInt(v, 10, 64)
	case "version":
		ev.version = v
	case "upload":
		ev.uploadID = v
	case "part":
		ev.part, err = strconv.Atoi(v)
	case "etag":
		ev.etag = v
	}
	if err != nil {
		return fmt.Errorf("field %s=%q: %w", name, v, err)
	}
	return nil
}
