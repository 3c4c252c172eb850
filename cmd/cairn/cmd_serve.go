package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/spf13/cobra"
)

// serveFlags are the options of cairn serve.
type serveFlags struct {
	listen          string
	tlsCert, tlsKey string
	region          string
	domains         []string
	lifecycleDay    time.Duration
}

func newServeCmd(a *app) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the embedded store over the S3 API",
		Long: `Serve the embedded store (--data) over the S3 REST API, so that every S3
tool (aws CLI, boto3, rclone, s3fs, SDKs) can use it.

Requests are signed (SigV4) with the root credential: CAIRN_ACCESS_KEY
and CAIRN_SECRET_KEY when both are set, otherwise a credential generated at
first start, kept in the data directory (mode 0600) and printed once.
Users sign with keys of their own ("cairn admin user add"), and unsigned
requests are served only where a bucket policy allows everyone.
Buckets are addressed path-style (http://HOST/bucket/key) and
virtual-hosted-style (http://bucket.DOMAIN/key) under each --domain.`,
		Example: `  cairn serve --listen 127.0.0.1:9000
  AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... aws --endpoint-url http://127.0.0.1:9000 s3 ls`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error { return a.serve(cmd.Context(), f) }),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:9000", "address to listen on (port 0 picks a free one)")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate file: serve HTTPS (with --tls-key)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "PEM private key file of --tls-cert")
	fl.StringVar(&f.region, "region", "us-east-1", "region the server reports and signatures name")
	fl.StringSliceVar(&f.domains, "domain", []string{"localhost"}, "domain for virtual-hosted-style addressing (bucket.DOMAIN); repeatable")
	fl.DurationVar(&f.lifecycleDay, "lifecycle-day", 24*time.Hour, "length of a lifecycle day: shorten it (e.g. 2s) to watch lifecycle rules and restores work in seconds")
	return cmd
}

func (a *app) serve(ctx context.Context, f serveFlags) error {
	if a.remote.endpoint != "" {
		return usagef("serve serves the embedded store of --data; it takes no --endpoint")
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if f.lifecycleDay <= 0 {
		return usagef("--lifecycle-day must be positive")
	}
	a.lifecycleDay = f.lifecycleDay
	return a.withStore(ctx, func(st objstore.Store) error {
		es, ok := st.(*embedded.Store)
		if !ok {
			return &lockedError{a.dataDir}
		}
		root, created, err := s3api.LoadRootCredential(a.dataDir, a.getenv)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", f.listen)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", f.listen, err)
		}
		scheme, tls := "http", (*s3api.TLSFiles)(nil)
		if f.tlsCert != "" {
			scheme, tls = "https", &s3api.TLSFiles{CertFile: f.tlsCert, KeyFile: f.tlsKey}
		}
		if created {
			fmt.Fprintf(a.stdout, "Created the root credential (kept in %s, shown only now):\n  access key: %s\n  secret key: %s\n",
				a.dataDir, root.AccessKey, root.SecretKey)
		}
		fmt.Fprintf(a.stdout, "endpoint: %s://%s\naccess key: %s\ndata: %s\n", scheme, ln.Addr(), root.AccessKey, a.dataDir)
		srv := es.Server(s3api.Config{Region: f.region, Domains: f.domains, Root: root, Logger: a.logger})
		defer a.ready(fmt.Sprintf("serving S3 on %s://%s", scheme, ln.Addr()))()
		return srv.Serve(ctx, ln, tls)
	})
}
