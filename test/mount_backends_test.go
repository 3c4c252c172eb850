package test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// mountBackend is an S3 store that cairn mount runs on in the mount
// tests: cairn serve, or gofakes3 as a second, independent S3
// implementation that proves the mount relies on plain S3 only.
type mountBackend struct {
	name     string
	endpoint string
	// makeBucket creates a bucket.
	makeBucket func(t *testing.T, bucket string)
	// object returns the bytes stored under key, read without the mount.
	object func(t *testing.T, bucket, key string) []byte
}

// mountBackends are the stores every mount workload runs against, each
// started for one subtest.
var mountBackends = []struct {
	name  string
	start func(t *testing.T) *mountBackend
}{
	{"serve", serveBackend},
	{"gofakes3", startFakeS3},
}

// forEachBackend runs fn as a subtest per backend, named by it.
func forEachBackend(t *testing.T, fn func(t *testing.T, b *mountBackend)) {
	for _, mb := range mountBackends {
		t.Run(mb.name, func(t *testing.T) { fn(t, mb.start(t)) })
	}
}

// serveBackend starts cairn serve; objects are read with the aws CLI.
func serveBackend(t *testing.T) *mountBackend {
	t.Helper()
	awsCLI(t)
	s := startServe(t)
	return &mountBackend{
		name:       "serve",
		endpoint:   s.endpoint,
		makeBucket: func(t *testing.T, bucket string) { s.aws(t, "s3", "mb", "s3://"+bucket) },
		object: func(t *testing.T, bucket, key string) []byte {
			return []byte(s.aws(t, "s3", "cp", "s3://"+bucket+"/"+key, "-"))
		},
	}
}

// mount mounts bucket on dir with cairn mount --endpoint in the
// background, and unmounts it when the test ends. It returns what the
// command printed.
func (b *mountBackend) mount(t *testing.T, bucket, dir string, extra ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unmountAtEnd(t, dir)
	args := append([]string{"--endpoint", b.endpoint, "--data", t.TempDir(), "mount",
		"--staging-dir", t.TempDir(), "--cache-dir", t.TempDir(), "--metadata-ttl", "100ms"}, extra...)
	args = append(args, "s3://"+bucket, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cairnBinary(t), args...)
	cmd.Env = append(os.Environ(), "CAIRN_ACCESS_KEY="+testAccessKey, "CAIRN_SECRET_KEY="+testSecretKey,
		"AWS_REGION="+testRegion, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "XDG_CACHE_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cairn %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Cleanup(func() { exec.Command(cairnBinary(t), "unmount", dir).Run() })
	return string(out)
}
