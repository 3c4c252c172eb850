package main

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/s3api/sigv4"
	"github.com/spf13/cobra"
)

// presignFlags are the options of cairn presign.
type presignFlags struct {
	put     bool
	expires time.Duration
}

// defaultServeEndpoint is where cairn serve listens unless told otherwise.
const defaultServeEndpoint = "http://127.0.0.1:9000"

func newPresignCmd(a *app) *cobra.Command {
	var f presignFlags
	cmd := &cobra.Command{
		Use:   "presign s3://BUCKET/KEY",
		Short: "Print a pre-signed URL that grants a GET (or PUT) of one object",
		Long: `Print a pre-signed URL for one object on a cairn serve endpoint. Anyone
holding the URL can GET the object (or PUT it, with --put) until it
expires, without credentials: curl, a browser, any HTTP client.

The URL points at --endpoint (default ` + defaultServeEndpoint + `) and is
signed with the root credential of the data directory
(--data), or CAIRN_ACCESS_KEY / CAIRN_SECRET_KEY when set, like cairn serve.`,
		Example: `  curl -o photo.jpg "$(cairn presign s3://photos/2026/holiday.jpg)"
  curl -X PUT --data-binary @notes.txt "$(cairn presign --put --expires 1h s3://docs/notes.txt)"`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error { return a.presign(args[0], f) }),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.put, "put", false, "grant a PUT (upload) instead of a GET")
	fl.DurationVar(&f.expires, "expires", 15*time.Minute, "how long the URL stays valid (at most 168h)")
	return cmd
}

func (a *app) presign(arg string, f presignFlags) error {
	loc, err := parseURL(arg)
	if err != nil {
		return err
	}
	if loc.key == "" || strings.HasSuffix(loc.key, "/") {
		return usagef("presign needs an object URL s3://BUCKET/KEY, not %s", arg)
	}
	if f.expires <= 0 || f.expires > sigv4.MaxPresignExpiry {
		return usagef("--expires %s: must be between 1s and %s", f.expires, sigv4.MaxPresignExpiry)
	}
	endpoint, region := a.remote.endpoint, a.remote.region
	if endpoint == "" {
		endpoint = defaultServeEndpoint
	}
	if region == "" {
		region = "us-east-1"
	}
	base, err := url.Parse(endpoint)
	if err != nil || base.Host == "" {
		return usagef("--endpoint %q is not an http(s) URL", endpoint)
	}
	cred, err := s3api.ReadRootCredential(a.dataDir, a.getenv)
	if err != nil {
		return err
	}
	method := http.MethodGet
	if f.put {
		method = http.MethodPut
	}
	// Not JoinPath: it would clean "//" and ".." out of keys that hold them.
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + "/" + loc.bucket + "/" + loc.key
	u.RawPath = ""
	signed, err := sigv4.Presign(method, u.String(), region, cred.AccessKey, cred.SecretKey, f.expires, time.Now())
	if err != nil {
		return err
	}
	_, err = a.stdout.Write([]byte(signed + "\n"))
	return err
}
