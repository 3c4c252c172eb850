package daemon

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSampleConfigParses(t *testing.T) {
	c, err := LoadConfig("testdata/sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Servers) != 1 || len(c.Mounts) != 2 || len(c.Syncs) != 1 {
		t.Fatalf("got %d servers, %d mounts, %d syncs; want 1, 2, 1", len(c.Servers), len(c.Mounts), len(c.Syncs))
	}
	m := c.Mounts[0]
	if m.CacheSize != 4<<30 || m.MemoryCacheSize != 256<<20 || m.FileMode != 0o644 || m.UploadConcurrency != 4 {
		t.Errorf("mount photos = %+v", m)
	}
	if o := m.options("photos", ""); o.NoPassthrough || o.UploadConcurrency != 4 {
		t.Errorf("mount photos options = %+v", o)
	}
	if a := c.Mounts[1]; !a.ReadOnly || a.Endpoint != "https://s3.eu-west-1.amazonaws.com" || a.Region != "eu-west-1" {
		t.Errorf("mount archive = %+v", a)
	}
	s := c.Syncs[0]
	if s.Mode != "backup" || !s.EnableVersioning || time.Duration(s.Interval) != 30*time.Second ||
		strings.Join(s.Exclude, ",") != "*.iso,build/" || s.PartSize != 8<<20 {
		t.Errorf("sync documents = %+v", s)
	}
}

func TestDefaultsFillWhatIsLeftOut(t *testing.T) {
	c, err := ParseConfig("/etc/cairn/c.yaml", []byte(`
servers: [{name: s3}]
mounts: [{name: m, target: s3://b/p, mountpoint: mnt}]
syncs: [{name: s, local: /x, remote: s3://b}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Servers[0].Listen != "127.0.0.1:9000" || c.Servers[0].Region != "us-east-1" {
		t.Errorf("server defaults: %+v", c.Servers[0])
	}
	m := c.Mounts[0]
	if m.Mountpoint != "/etc/cairn/mnt" || m.UID != -1 || m.DirMode != 0o755 || m.CacheSize != DefaultCacheSize {
		t.Errorf("mount defaults: %+v", m)
	}
	if s := c.Syncs[0]; s.Mode != "two-way" || s.MaxDelete != 50 || s.Concurrency != 8 {
		t.Errorf("sync defaults: %+v", s)
	}
}

func TestEmptyConfigIsValid(t *testing.T) {
	c, err := ParseConfig("c.yaml", nil)
	if err != nil || len(c.Servers)+len(c.Mounts)+len(c.Syncs) != 0 {
		t.Fatalf("empty config: %+v, %v", c, err)
	}
}

func TestBadConfigsNameTheirLine(t *testing.T) {
	cases := []configErrorCase{
		{"unknown top key", "data: /d\nservrs: []\n", `c.yaml:2: unknown key "servrs"`},
		{"unknown entry key", "mounts:\n  - name: m\n    target: s3://b\n    mountpoint: /m\n    cache: 1G\n", `c.yaml:5: unknown key "cache" in mounts[0]`},
		{"repeated key", "data: /a\ndata: /b\n", `c.yaml:2: key "data" given twice`},
		{"bad size", "mounts:\n  - name: m\n    target: s3://b\n    mountpoint: /m\n    cache_size: lots\n", `c.yaml:5: cache_size: size "lots"`},
		{"bad duration", "syncs:\n  - name: s\n    local: /l\n    remote: s3://b\n    interval: soon\n", `c.yaml:5: interval: duration "soon"`},
		{"bad mode", "syncs:\n  - name: s\n    local: /l\n    remote: s3://b\n    mode: mirror\n", `c.yaml:5: mode "mirror"`},
		{"bad octal", "mounts:\n  - name: m\n    target: s3://b\n    mountpoint: /m\n    file_mode: 0999\n", `c.yaml:5: file_mode: "0999"`},
		{"bad bool", "mounts:\n  - name: m\n    target: s3://b\n    mountpoint: /m\n    read_only: maybe\n", `c.yaml:5: read_only: "maybe" is not true or false`},
		{"bad target", "mounts:\n  - name: m\n    target: photos\n    mountpoint: /m\n", `c.yaml:3: target: "photos"`},
		{"no name", "servers:\n  - listen: 127.0.0.1:0\n", `c.yaml:2: this server has no name`},
		{"duplicate name", "servers:\n  - name: a\nmounts:\n  - name: a\n    target: s3://b\n    mountpoint: /m\n", `c.yaml:4: name "a" is already used at line 2`},
		{"two mounts on one mountpoint", "mounts:\n  - {name: a, target: s3://b, mountpoint: /m}\n  - {name: b, target: s3://c, mountpoint: /m/}\n", `c.yaml:3: mountpoint /m is already mounted at line 2`},
		{"two syncs of one folder", "syncs:\n  - {name: a, local: /l, remote: s3://b}\n  - {name: b, local: /l, remote: s3://c}\n", `c.yaml:3: folder /l is already synced at line 2`},
		{"small part size", "syncs:\n  - {name: a, local: /l, remote: s3://b,\n     part_size: 1MiB}\n", `c.yaml:3: part_size must be at least 5MiB`},
		{"bad endpoint", "mounts:\n  - {name: a, target: s3://b, mountpoint: /m, endpoint: 'ftp://x'}\n", `c.yaml:2: endpoint "ftp://x"`},
		{"list wanted", "servers: s3\n", `c.yaml:1: servers: want a list`},
		{"bad log format", "log_format: xml\n", `log_format "xml"`},
		{"bad yaml", "servers: [\n", `c.yaml: not valid YAML`},
	}
	checkConfigErrors(t, cases)
}

// configErrorCase is a config that ParseConfig must refuse, with a
// ConfigError containing want.
type configErrorCase struct{ name, yaml, want string }

// checkConfigErrors parses each case's YAML as c.yaml and checks its error.
func checkConfigErrors(t *testing.T, cases []configErrorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("c.yaml", []byte(tc.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want a ConfigError containing %q", err, tc.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"4096": 4096, "512K": 512 << 10, "64MiB": 64 << 20, "10g": 10 << 30, "1TiB": 1 << 40, "0": 0} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "4X", "1.5G"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded", in)
		}
	}
}

// TestPackagedConfigParses keeps the config the packages install
// (/etc/cairn/cairn.yaml) valid.
func TestPackagedConfigParses(t *testing.T) {
	const packaged = "../packaging/cairn.yaml"
	if _, err := os.Stat(packaged); err != nil {
		t.Skipf("no %s: %v", packaged, err)
	}
	if _, err := LoadConfig(packaged); err != nil {
		t.Fatal(err)
	}
}

func TestNoPassthroughReachesTheMount(t *testing.T) {
	c, err := ParseConfig("/etc/cairn/c.yaml", []byte(`
mounts: [{name: m, target: s3://b, mountpoint: mnt, no_passthrough: true}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Mounts[0].options("b", ""); !o.NoPassthrough {
		t.Fatalf("options %+v; want NoPassthrough", o)
	}
}
