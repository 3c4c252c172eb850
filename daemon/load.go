package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/cairnfs/cairn/mount"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/engine"
)

// Defaults of the block cache of a mount, as for cairn mount.
const (
	DefaultCacheSize       = 4 << 30
	DefaultMemoryCacheSize = 256 << 20
)

// LoadConfig reads and checks the config file at path. Relative paths in
// it are taken from the file's directory. Every mistake is a
// *ConfigError naming the file and line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig reads and checks a config file's content; path names it in
// errors and anchors its relative paths.
func ParseConfig(path string, data []byte) (*Config, error) {
	c := &Config{Path: path}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("not valid YAML: %v", err)}
	}
	if len(doc.Content) > 0 {
		d := &decoder{file: path}
		if err := d.decodeStruct(doc.Content[0], reflect.ValueOf(c).Elem(), "the config"); err != nil {
			return nil, err
		}
	}
	c.absPaths(filepath.Dir(path))
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func defaultServer() ServerConfig {
	return ServerConfig{Listen: "127.0.0.1:9000", Region: "us-east-1", Domains: []string{"localhost"}}
}

func defaultMount() MountConfig {
	return MountConfig{
		UID: -1, GID: -1, FileMode: FileMode(mount.DefaultFileMode), DirMode: FileMode(mount.DefaultDirMode),
		CacheSize: DefaultCacheSize, MemoryCacheSize: DefaultMemoryCacheSize,
		MetadataTTL: Duration(mount.DefaultMetadataTTL), PartSize: Size(mount.DefaultPartSize),
		UploadConcurrency: mount.DefaultConcurrency,
	}
}

func defaultSync() SyncConfig {
	return SyncConfig{
		Mode: string(engine.TwoWay), Interval: Duration(engine.DefaultInterval), Settle: Duration(engine.DefaultSettle),
		MaxDelete: engine.DefaultMaxDelete, Concurrency: engine.DefaultConcurrency, PartSize: Size(transfer.DefaultPartSize),
	}
}

// absPaths makes the config's relative paths relative to dir.
func (c *Config) absPaths(dir string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
		if *p != "" {
			*p = filepath.Clean(*p)
		}
	}
	abs(&c.Data)
	abs(&c.Socket)
	for i := range c.Servers {
		abs(&c.Servers[i].TLSCert)
		abs(&c.Servers[i].TLSKey)
	}
	for i := range c.Mounts {
		m := &c.Mounts[i]
		for _, p := range []*string{&m.Mountpoint, &m.CacheDir, &m.StagingDir, &m.CABundle, &m.SSECKeyFile} {
			abs(p)
		}
	}
	for i := range c.Syncs {
		abs(&c.Syncs[i].Local)
		abs(&c.Syncs[i].CABundle)
		abs(&c.Syncs[i].SSECKeyFile)
	}
}
