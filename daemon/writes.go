package daemon

import (
	"errors"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// configKey spells a write setting as the config does: sse_kms_key_id
// for --sse-kms-key-id.
func configKey(setting string) string { return strings.ReplaceAll(setting, "-", "_") }

// defaults checks the settings, reading the SSE-C key file, and returns
// what every write asks for. Mistakes are *sse.SettingError.
func (w WriteConfig) defaults() (sse.WriteDefaults, error) {
	set := sse.WriteSettings{SSE: w.SSE, KMSKeyID: w.SSEKMSKeyID, CustomerKeyFile: w.SSECKeyFile, StorageClass: w.StorageClass}
	return set.Defaults(configKey)
}

// validate checks the settings at the lines of an entry.
func (w WriteConfig) validate(e *decoder, p Pos) error {
	_, err := w.defaults()
	var se *sse.SettingError
	if errors.As(err, &se) {
		return e.errf(p.line(configKey(se.Setting)), "%s", se.Msg)
	}
	return err
}

// apply wraps st so that what it writes (and reads, for an SSE-C key)
// follows the settings.
func (w WriteConfig) apply(st objstore.Store) (objstore.Store, error) {
	d, err := w.defaults()
	if err != nil {
		return nil, err
	}
	return sse.Apply(st, d), nil
}
