package daemon

import (
	"fmt"
	"time"
)

// Config is the daemon's configuration file.
type Config struct {
	// Path is the file the config was read from.
	Path string `yaml:"-" json:"-"`
	// Data is the data directory of the embedded store; default the one
	// the command line gives.
	Data string `yaml:"data"`
	// LogFormat is "text" or "json".
	LogFormat string `yaml:"log_format"`
	// Metrics is the address Prometheus metrics are served on ("" for none).
	Metrics string `yaml:"metrics"`
	// Socket is the path of the control socket.
	Socket string `yaml:"socket"`
	// LifecycleDay is the length of the embedded store's lifecycle day
	// (as cairn serve --lifecycle-day); 24 hours when unset.
	LifecycleDay Duration `yaml:"lifecycle_day"`
	// Servers, Mounts and Syncs are the units the daemon runs.
	Servers []ServerConfig `yaml:"servers"`
	Mounts  []MountConfig  `yaml:"mounts"`
	Syncs   []SyncConfig   `yaml:"syncs"`
}

// Pos is where a config entry was written: its line, and the line of each
// of its keys.
type Pos struct {
	Line int
	Keys map[string]int
}

// line is the line of key, or of the entry when the key is absent.
func (p Pos) line(key string) int {
	if l, ok := p.Keys[key]; ok {
		return l
	}
	return p.Line
}

// ServerConfig is an S3 server over the embedded store (cairn serve).
type ServerConfig struct {
	Pos     Pos      `yaml:"-" json:"-"`
	Name    string   `yaml:"name"`
	Listen  string   `yaml:"listen"`
	TLSCert string   `yaml:"tls_cert"`
	TLSKey  string   `yaml:"tls_key"`
	Region  string   `yaml:"region"`
	Domains []string `yaml:"domains"`
}

// Remote names an S3 endpoint; an empty Endpoint means the embedded store.
type Remote struct {
	Endpoint string `yaml:"endpoint"`
	Region   string `yaml:"region"`
	Profile  string `yaml:"profile"`
	CABundle string `yaml:"ca_bundle"`
}

// MountConfig is a FUSE mount of a bucket prefix (cairn mount).
type MountConfig struct {
	Pos    Pos    `yaml:"-" json:"-"`
	Name   string `yaml:"name"`
	Target string `yaml:"target"`
	// Mountpoint is the directory mounted on.
	Mountpoint        string `yaml:"mountpoint"`
	Remote            `yaml:",inline"`
	ReadOnly          bool     `yaml:"read_only"`
	AllowOther        bool     `yaml:"allow_other"`
	UID               int      `yaml:"uid"`
	GID               int      `yaml:"gid"`
	FileMode          FileMode `yaml:"file_mode"`
	DirMode           FileMode `yaml:"dir_mode"`
	CacheDir          string   `yaml:"cache_dir"`
	CacheSize         Size     `yaml:"cache_size"`
	MemoryCacheSize   Size     `yaml:"memory_cache_size"`
	MetadataTTL       Duration `yaml:"metadata_ttl"`
	PartSize          Size     `yaml:"part_size"`
	UploadConcurrency int      `yaml:"upload_concurrency"`
	StagingDir        string   `yaml:"staging_dir"`
	// NoPassthrough keeps the kernel from reading whole cached files
	// straight from the disk cache, as cairn mount --no-passthrough.
	NoPassthrough bool `yaml:"no_passthrough"`
	WriteConfig   `yaml:",inline"`
}

// SyncConfig is a continuous sync of a folder (cairn sync).
type SyncConfig struct {
	Pos               Pos    `yaml:"-" json:"-"`
	Name              string `yaml:"name"`
	Local             string `yaml:"local"`
	RemoteURL         string `yaml:"remote"`
	Mode              string `yaml:"mode"`
	Remote            `yaml:",inline"`
	Interval          Duration `yaml:"interval"`
	Settle            Duration `yaml:"settle"`
	Exclude           []string `yaml:"exclude"`
	NoDefaultExcludes bool     `yaml:"no_default_excludes"`
	MaxDelete         int      `yaml:"max_delete"`
	Force             bool     `yaml:"force"`
	Concurrency       int      `yaml:"concurrency"`
	PartSize          Size     `yaml:"part_size"`
	EnableVersioning  bool     `yaml:"enable_versioning"`
	WriteConfig       `yaml:",inline"`
}

// WriteConfig is what a mount or a sync writes with, as the --sse,
// --sse-kms-key-id, --sse-c-key-file and --storage-class flags of cairn
// mount and cairn sync: encryption at rest and storage class. An SSE-C
// key is also given on every read.
type WriteConfig struct {
	// SSE is AES256, aws:kms or aws:kms:dsse.
	SSE string `yaml:"sse"`
	// SSEKMSKeyID is the KMS key of aws:kms (an ID, alias/NAME or ARN);
	// it implies aws:kms.
	SSEKMSKeyID string `yaml:"sse_kms_key_id"`
	// SSECKeyFile is a file holding an SSE-C key (32 bytes, raw or base64).
	SSECKeyFile string `yaml:"sse_c_key_file"`
	// StorageClass is the storage class of the objects written.
	StorageClass string `yaml:"storage_class"`
}

// ConfigError is a mistake in a config file, at a line.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

// Error is "FILE:LINE: reason".
func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Size is a byte count written as 4096, 512K, 64MiB or 10G.
type Size int64

// Duration is a time.Duration written as 30s, 5m or 1h30m.
type Duration time.Duration

// FileMode is a permission set written in octal, such as 0644.
type FileMode uint32
