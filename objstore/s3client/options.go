package s3client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// defaultRegion is the region used when neither Options nor the AWS
// configuration chain name one.
const defaultRegion = "us-east-1"

// idleConnsPerHost is how many idle connections to the endpoint the
// store's own HTTP client keeps for reuse (the SDK's default is 10).
const idleConnsPerHost = 64

// Options configure a client store.
type Options struct {
	// Endpoint is the S3 endpoint URL, e.g. http://127.0.0.1:9000.
	// Empty means AWS S3, its endpoint derived from the region.
	Endpoint string
	// Region signs requests. Empty means the AWS configuration chain's
	// (AWS_REGION, the profile), else us-east-1.
	Region string
	// PathStyle addresses buckets as ENDPOINT/bucket/key. It is always
	// on when Endpoint is set, unless VirtualHostStyle is.
	PathStyle bool
	// VirtualHostStyle addresses buckets as bucket.ENDPOINT/key on a
	// custom Endpoint (the server must own a wildcard DNS name).
	VirtualHostStyle bool
	// AccessKey, SecretKey and SessionToken are explicit credentials.
	// Empty means the standard AWS chain: environment, ~/.aws profiles,
	// SSO, instance roles.
	AccessKey, SecretKey, SessionToken string
	// Profile names the ~/.aws profile to read region and credentials from.
	Profile string
	// HTTPClient sends the requests. Nil means the SDK's client, with
	// CABundle and InsecureSkipVerify applied.
	HTTPClient *http.Client
	// CABundle is a PEM file of extra certificate authorities to trust,
	// e.g. the one that signed a private endpoint's certificate.
	CABundle string
	// InsecureSkipVerify accepts any TLS certificate: only for
	// self-signed development endpoints.
	InsecureSkipVerify bool
	// MaxAttempts bounds the tries of one call, retries of transient
	// failures included. Zero means the SDK's default (3).
	MaxAttempts int
	// TempDir is where PutObject buffers bodies of unknown size. Empty
	// means os.TempDir().
	TempDir string
	// UnsignedPayload sends every body as UNSIGNED-PAYLOAD, over plain
	// HTTP too: a rewindable body is then read once instead of twice
	// (once to hash it for the signature), at the cost of the integrity
	// check the signed hash gives on a connection without TLS. An
	// endpoint on this machine (localhost, a loopback address) is
	// always sent unsigned: nothing sits between client and server there.
	UnsignedPayload bool
}

// sdkConfig loads the AWS configuration that opts describe.
func sdkConfig(ctx context.Context, opts Options) (aws.Config, error) {
	load := []func(*config.LoadOptions) error{
		// Checksums only when asked for (PutOptions.Checksum) or when S3
		// requires one: every S3-compatible server accepts that, and an
		// unseekable body needs no rewind to compute it.
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	if opts.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.AccessKey != "" || opts.SecretKey != "" {
		load = append(load, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(opts.AccessKey, opts.SecretKey, opts.SessionToken)))
	}
	if opts.MaxAttempts > 0 {
		load = append(load, config.WithRetryMaxAttempts(opts.MaxAttempts))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.HTTPClient, err = httpClient(cfg.HTTPClient, opts); err != nil {
		return aws.Config{}, err
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	return cfg, nil
}

// httpClient returns the client that sends requests: the caller's, or the
// one the AWS configuration built (it trusts AWS_CA_BUNDLE) with the TLS
// choices of opts. Like the SDK's own, it follows no redirects.
func httpClient(base aws.HTTPClient, opts Options) (*http.Client, error) {
	if opts.HTTPClient != nil {
		return opts.HTTPClient, nil
	}
	var pem []byte
	if opts.CABundle != "" {
		var err error
		if pem, err = os.ReadFile(opts.CABundle); err != nil {
			return nil, fmt.Errorf("read CA bundle: %w", err)
		}
	}
	bc, ok := base.(*awshttp.BuildableClient)
	if !ok {
		bc = awshttp.NewBuildableClient()
	}
	var tlsErr error
	bc = bc.WithTransportOptions(func(tr *http.Transport) {
		// One endpoint serves every request: keep as many connections
		// idle for it as parallel part transfers and range reads use.
		tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, idleConnsPerHost)
		tr.MaxIdleConns = max(tr.MaxIdleConns, idleConnsPerHost)
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.InsecureSkipVerify = opts.InsecureSkipVerify
		if pem != nil {
			tr.TLSClientConfig.RootCAs, tlsErr = withPEM(tr.TLSClientConfig.RootCAs, pem)
		}
	})
	if tlsErr != nil {
		return nil, fmt.Errorf("CA bundle %s: %w", opts.CABundle, tlsErr)
	}
	client, ok := bc.Freeze().(*http.Client)
	if !ok {
		return nil, fmt.Errorf("SDK HTTP client of type %T", client)
	}
	return client, nil
}

// s3Options applies the addressing and checksum choices to the S3 client.
func s3Options(opts Options) func(*s3.Options) {
	return func(o *s3.Options) {
		o.UsePathStyle = opts.PathStyle
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
			o.UsePathStyle = !opts.VirtualHostStyle
		}
		// A response without a checksum is normal (most objects have
		// none): no warning for it.
		o.DisableLogOutputChecksumValidationSkipped = true
	}
}

// withPEM returns roots (the system's when nil) plus the authorities of pem.
func withPEM(roots *x509.CertPool, pem []byte) (*x509.CertPool, error) {
	if roots == nil {
		var err error
		if roots, err = x509.SystemCertPool(); err != nil {
			roots = x509.NewCertPool()
		}
	} else {
		roots = roots.Clone()
	}
	if !roots.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificate in it")
	}
	return roots, nil
}
