package lock

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
	"github.com/cairnfs/cairn/internal/flock"
	"github.com/cairnfs/cairn/objstore"
)

// DevicesFile is the file of a data directory that holds its MFA devices.
const DevicesFile = "mfa-devices.json"

// ErrMFA refuses a request whose x-amz-mfa is missing or wrong where MFA
// delete asks for one.
var ErrMFA = &objstore.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: "Mfa Authentication must be used for this request"}

// Device is a virtual TOTP MFA device of a user.
type Device struct {
	User   string `json:"user"`
	Serial string `json:"serial"`
	// Secret is the TOTP key, base32.
	Secret  string    `json:"secret"`
	Created time.Time `json:"created"`
	// Used are the time steps whose codes were accepted and are still
	// within the window a code is accepted in: each code counts once.
	Used []int64 `json:"used,omitempty"`
}

// URI is the device's otpauth URI, which authenticator apps import.
func (d Device) URI() string {
	q := url.Values{"secret": {d.Secret}, "issuer": {"cairn"}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape("cairn:"+d.User) + "?" + q.Encode()
}

// Devices is the set of MFA devices of a data directory, kept in its
// DevicesFile. Every call reads the file afresh, so a device added by
// `cairn admin mfa add` is seen by a running server at once; every
// change (adding or removing a device, a verification recording the
// code it accepted) reads, changes and writes the file under an
// exclusive lock of DevicesFile+".lock", so that changes made at once by
// the server and by the command line are all kept.
type Devices struct {
	path string
	// mu orders the changes of this process; the file lock orders them
	// with other processes'.
	mu sync.Mutex
}

// OpenDevices returns the devices of the data directory dir.
func OpenDevices(dir string) *Devices {
	return &Devices{path: filepath.Join(dir, DevicesFile)}
}

// List returns every device, by user.
func (d *Devices) List() ([]Device, error) {
	data, err := os.ReadFile(d.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read MFA devices: %w", err)
	}
	var out []Device
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("read MFA devices %s: %w", d.path, err)
	}
	return out, nil
}

// Add registers a new TOTP device for user, replacing the one it had.
func (d *Devices) Add(user string) (Device, error) {
	if user == "" || strings.ContainsAny(user, " /:") {
		return Device{}, fmt.Errorf("MFA device user %q: a name without spaces, '/' or ':'", user)
	}
	key := make([]byte, 20)
	if _, err := rand.Read(key); err != nil {
		return Device{}, fmt.Errorf("MFA secret: %w", err)
	}
	dev := Device{
		User:    user,
		Serial:  "arn:aws:iam::cairn:mfa/" + user,
		Secret:  secretEncoding.EncodeToString(key),
		Created: time.Now().UTC().Truncate(time.Second),
	}
	return dev, d.update(func(all []Device) ([]Device, error) {
		all = slices.DeleteFunc(all, func(o Device) bool { return o.User == user })
		all = append(all, dev)
		slices.SortFunc(all, func(a, b Device) int { return strings.Compare(a.User, b.User) })
		return all, nil
	})
}

// Remove removes user's device; removing none is not an error.
func (d *Devices) Remove(user string) error {
	return d.update(func(all []Device) ([]Device, error) {
		return slices.DeleteFunc(all, func(o Device) bool { return o.User == user }), nil
	})
}

// update reads the devices, changes them with change and writes them
// back, under both locks; an error of change writes nothing.
func (d *Devices) update(change func([]Device) ([]Device, error)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	lk, err := flock.Wait(d.path + ".lock")
	if err != nil {
		return fmt.Errorf("MFA devices: %w", err)
	}
	defer lk.Close()
	all, err := d.List()
	if err != nil {
		return err
	}
	if all, err = change(all); err != nil {
		return err
	}
	return d.write(all)
}

// write replaces the file atomically, readable by its owner only.
func (d *Devices) write(all []Device) error {
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return fmt.Errorf("encode MFA devices: %w", err)
	}
	if err := atomicfile.WriteFile(d.path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write MFA devices: %w", err)
	}
	return nil
}

// VerifyMFA checks an x-amz-mfa value, "SERIAL CODE", sent by user: the
// device with that serial must be user's and CODE its current TOTP code,
// not accepted before. It fails with ErrMFA. The step of the code is
// recorded in the file, so a code is accepted once, across restarts too.
func (d *Devices) VerifyMFA(ctx context.Context, user, header string) error {
	serial, code, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok {
		return fmt.Errorf("x-amz-mfa %q is not \"SERIAL CODE\": %w", header, ErrMFA)
	}
	return d.update(func(all []Device) ([]Device, error) {
		i := slices.IndexFunc(all, func(o Device) bool { return o.Serial == serial && o.User == user })
		if i < 0 {
			return nil, fmt.Errorf("MFA device %q not registered to %q: %w", serial, user, ErrMFA)
		}
		now := time.Now()
		step, ok := MatchTOTP(all[i].Secret, strings.TrimSpace(code), now)
		if !ok {
			return nil, fmt.Errorf("wrong code for MFA device %q: %w", serial, ErrMFA)
		}
		if slices.Contains(all[i].Used, step) {
			return nil, fmt.Errorf("code for MFA device %q already used: %w", serial, ErrMFA)
		}
		all[i].Used = useStep(all[i].Used, step, totpStepAt(now))
		return all, nil
	})
}

// useStep adds step to the used steps, dropping those no code accepted
// at the step now can match any more.
func useStep(used []int64, step, now int64) []int64 {
	used = slices.DeleteFunc(used, func(s int64) bool { return s < now-totpSkew })
	return append(used, step)
}
