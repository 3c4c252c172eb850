package daemon

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/engine"
)

// validName is what a unit name may be: it is typed on command lines and
// travels in control requests.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// validate checks values and the rules between entries.
func (c *Config) validate() error {
	e := &decoder{file: c.Path}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		return e.errf(0, "log_format %q: want text or json", c.LogFormat)
	}
	names := map[string]int{}
	name := func(n string, pos Pos, kind string) error {
		if n == "" {
			return e.errf(pos.Line, "this %s has no name", kind)
		}
		if !validName.MatchString(n) {
			return e.errf(pos.line("name"), "name %q: use letters, digits, '.', '_' and '-' (at most 64)", n)
		}
		if l, dup := names[n]; dup {
			return e.errf(pos.line("name"), "name %q is already used at line %d", n, l)
		}
		names[n] = pos.line("name")
		return nil
	}
	for _, s := range c.Servers {
		if err := name(s.Name, s.Pos, "server"); err != nil {
			return err
		}
		if err := s.validate(e); err != nil {
			return err
		}
	}
	mountpoints := map[string]int{}
	for _, m := range c.Mounts {
		if err := name(m.Name, m.Pos, "mount"); err != nil {
			return err
		}
		if err := m.validate(e); err != nil {
			return err
		}
		if l, dup := mountpoints[m.Mountpoint]; dup {
			return e.errf(m.Pos.line("mountpoint"), "mountpoint %s is already mounted at line %d", m.Mountpoint, l)
		}
		mountpoints[m.Mountpoint] = m.Pos.line("mountpoint")
	}
	folders := map[string]int{}
	for _, s := range c.Syncs {
		if err := name(s.Name, s.Pos, "sync"); err != nil {
			return err
		}
		if err := s.validate(e); err != nil {
			return err
		}
		if l, dup := folders[s.Local]; dup {
			return e.errf(s.Pos.line("local"), "folder %s is already synced at line %d", s.Local, l)
		}
		folders[s.Local] = s.Pos.line("local")
	}
	return nil
}

func (s ServerConfig) validate(e *decoder) error {
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		return e.errf(s.Pos.line("listen"), "listen %q: want HOST:PORT such as 127.0.0.1:9000", s.Listen)
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return e.errf(s.Pos.Line, "tls_cert and tls_key go together")
	}
	return nil
}

func (m MountConfig) validate(e *decoder) error {
	p := m.Pos
	if _, _, err := ParseTarget(m.Target); err != nil {
		return e.errf(p.line("target"), "target: %v", err)
	}
	switch {
	case m.Mountpoint == "":
		return e.errf(p.Line, "mount %q has no mountpoint", m.Name)
	case m.UID < -1 || m.GID < -1:
		return e.errf(p.line("uid"), "uid and gid are user and group numbers")
	case m.PartSize < objstore.MinPartSize:
		return e.errf(p.line("part_size"), "part_size must be at least 5MiB")
	case m.UploadConcurrency < 1:
		return e.errf(p.line("upload_concurrency"), "upload_concurrency must be at least 1")
	case m.MetadataTTL <= 0:
		return e.errf(p.line("metadata_ttl"), "metadata_ttl must be more than 0")
	}
	if err := m.WriteConfig.validate(e, p); err != nil {
		return err
	}
	return m.Remote.validate(e, p)
}

func (s SyncConfig) validate(e *decoder) error {
	p := s.Pos
	if s.Local == "" {
		return e.errf(p.Line, "sync %q has no local folder", s.Name)
	}
	if _, _, err := ParseTarget(s.RemoteURL); err != nil {
		return e.errf(p.line("remote"), "remote: %v", err)
	}
	switch {
	case engine.Mode(s.Mode) != engine.TwoWay && engine.Mode(s.Mode) != engine.Backup:
		return e.errf(p.line("mode"), "mode %q: want two-way or backup", s.Mode)
	case s.Interval <= 0:
		return e.errf(p.line("interval"), "interval must be more than 0")
	case s.Settle <= 0:
		return e.errf(p.line("settle"), "settle must be more than 0")
	case s.MaxDelete < 1 || s.MaxDelete > 100:
		return e.errf(p.line("max_delete"), "max_delete is a percentage from 1 to 100")
	case s.Concurrency < 1:
		return e.errf(p.line("concurrency"), "concurrency must be at least 1")
	case s.PartSize < objstore.MinPartSize:
		return e.errf(p.line("part_size"), "part_size must be at least 5MiB")
	}
	if err := s.WriteConfig.validate(e, p); err != nil {
		return err
	}
	return s.Remote.validate(e, p)
}

func (r Remote) validate(e *decoder, p Pos) error {
	if r.Endpoint == "" {
		if r.Region != "" || r.Profile != "" || r.CABundle != "" {
			return e.errf(p.Line, "region, profile and ca_bundle go with an endpoint")
		}
		return nil
	}
	u, err := url.Parse(r.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return e.errf(p.line("endpoint"), "endpoint %q: want a URL such as https://s3.amazonaws.com", r.Endpoint)
	}
	return nil
}

// ParseTarget reads s3://BUCKET[/PREFIX]; the prefix comes back "" or
// ending in "/".
func ParseTarget(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q: want s3://BUCKET[/PREFIX]", s)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q: no bucket", s)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return bucket, prefix, nil
}
