package s3api_test

import (
	"crypto/md5"
	"encoding/base64"
	"io"
	"testing"
)

func md5b64(s string) string {
	sum := md5.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// FuzzXMLBodies sends arbitrary bytes as the body of every operation that
// reads XML: the server must answer (2xx or an S3 error), never crash or hang.
func FuzzXMLBodies(f *testing.F) {
	seeds := []string{
		`<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>null</VersionId></Object></Delete>`,
		`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag></Part></CompleteMultipartUpload>`,
		`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`,
		`<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`,
		`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
		`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><Delete>&a;&a;</Delete>`,
		"", "<", "\x00",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	e := newEnv(f)
	targets := []struct{ method, path string }{
		{"POST", "/fuzz?delete"},
		{"POST", "/fuzz/key?uploadId=0000"},
		{"PUT", "/fuzz?versioning"},
		{"PUT", "/fuzz/key?tagging"},
		{"PUT", "/fuzz?tagging"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		e.t = t
		e.do("PUT", "/fuzz", nil, nil)
		for _, tg := range targets {
			resp := e.do(tg.method, tg.path, []byte(body), map[string]string{"Content-MD5": md5b64(body)})
			io.Copy(io.Discard, resp.Body)
			if resp.StatusCode >= 500 && resp.StatusCode != 501 {
				t.Fatalf("%s %s with body %q: %d", tg.method, tg.path, body, resp.StatusCode)
			}
		}
	})
}
