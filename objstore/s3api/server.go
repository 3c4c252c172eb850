package s3api

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
	"github.com/cairnfs/cairn/objstore/s3api/sigv4"
)

// Config configures a Server.
type Config struct {
	// Region is the server's region, reported by GetBucketLocation for
	// buckets created without a LocationConstraint and required in
	// signatures. Default "us-east-1".
	Region string
	// Domains are the host names under which buckets are addressed
	// virtual-hosted-style (bucket.DOMAIN). Hosts not under one of them
	// are addressed path-style.
	Domains []string
	// Root is the credential of the store's owner.
	Root Credential
	// Credentials resolves further access keys that act for the root;
	// optional.
	Credentials sigv4.Credentials
	// Identities resolves the users behind access keys, their identity
	// policies and the server-wide public access block; optional.
	Identities Identities
	// Logger receives one line per failed request. Default slog.Default().
	Logger *slog.Logger
	// Observe, when set, is told of every request once its handler
	// returns: the S3 operation (such as "PutObject", or "Unknown" for a
	// request naming none), the HTTP status sent and the time taken.
	Observe func(op string, status int, d time.Duration)
	// Engine serves the bucket features when the store is wrapped (the
	// wrapper hides the engine's own methods); by default the store
	// itself, when it implements Engine.
	Engine Engine
	// Lifecycle serves restores of archived versions and reports when
	// rules expire objects; without it RestoreObject is not served.
	Lifecycle Lifecycle
	// CheckNotificationTarget, when set, tells why a target ARN of a
	// notification configuration cannot take events (nil when it can).
	CheckNotificationTarget func(arn string) error
	// MFA checks the x-amz-mfa of requests that MFA delete guards; without
	// it MFA delete cannot be turned on.
	MFA MFAVerifier
	// KMSKeys resolves the KMS key a request or a bucket default names
	// (an alias, an ARN) to its ID, for the key ARN CreateMultipartUpload
	// reports; optional.
	KMSKeys KMSKeyResolver
}

// Server is an http.Handler that speaks the S3 REST API over a Store.
type Server struct {
	store    objstore.Store
	cfg      Config
	verifier *sigv4.Verifier
	log      *slog.Logger
	owner    owner
	hostID   string
	// bucketSub and objectSub route the feature sub-resources (?cors,
	// ?retention, …) to their handlers.
	bucketSub, objectSub map[string]map[string]handlerFunc
	// uploads remembers the creation keys of multipart uploads for the
	// authorization of the requests that continue them.
	uploads *uploadKeys
	// policies keeps bucket policies parsed.
	policies policyCache
}

// New returns a Server for store.
func New(store objstore.Store, cfg Config) *Server {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		store:    store,
		cfg:      cfg,
		verifier: &sigv4.Verifier{Credentials: credentials{root: cfg.Root, users: cfg.Identities, extra: cfg.Credentials}},
		log:      cfg.Logger,
		owner:    owner{ID: ownerID(cfg.Root), DisplayName: "cairn"},
		hostID:   "cairn",
		uploads:  &uploadKeys{},
	}
	s.bucketSub, s.objectSub = s.newBucketConfigs(), s.newObjectSubresources()
	return s
}

// request is one S3 request being served.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	id     string
	bucket string
	key    string
	query  url.Values
	// body is the payload after authentication: decoded from aws-chunked
	// and verified against the signed hash while it is read.
	body io.Reader
	// auth is what authentication established.
	auth *authInfo
	// access is what decides access to each bucket the request touched,
	// read once per request.
	access map[string]*bucketAccess
	// mfa is the verification of the request's x-amz-mfa, made once.
	mfa *mfaCheck
}

// ServeHTTP serves one S3 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Observe != nil {
		start, sw := time.Now(), &statusWriter{ResponseWriter: w}
		defer func() { s.cfg.Observe(s.operation(r), sw.code(), time.Since(start)) }()
		w = sw
	}
	rq := &request{w: w, r: r, id: newRequestID(), query: r.URL.Query(), body: r.Body}
	w.Header().Set("x-amz-request-id", rq.id)
	w.Header().Set("x-amz-id-2", s.hostID)
	w.Header().Set("Server", "cairn")
	if err := s.serve(r.Context(), rq); err != nil {
		s.writeError(rq, err)
	}
}

func (s *Server) serve(ctx context.Context, rq *request) error {
	if err := s.route(rq); err != nil {
		return err
	}
	if rq.r.Method == http.MethodOptions {
		return s.preflight(ctx, rq)
	}
	s.addCORSHeaders(ctx, rq)
	if err := s.authenticate(rq); err != nil {
		return err
	}
	ctx = events.WithSource(ctx, s.eventSource(rq))
	h, err := s.handler(rq)
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, rq, h); err != nil {
		return err
	}
	return h(ctx, rq)
}

// route finds the bucket and key, virtual-hosted-style first.
func (s *Server) route(rq *request) error {
	path := rq.r.URL.Path
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("path %q: %w", path, objstore.ErrInvalidRequest)
	}
	if b := s.hostBucket(rq.r.Host); b != "" {
		rq.bucket, rq.key = b, path[1:]
		return nil
	}
	rest := path[1:]
	rq.bucket, rq.key, _ = strings.Cut(rest, "/")
	return nil
}

// hostBucket returns the bucket named by a virtual-hosted-style Host.
func (s *Server) hostBucket(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, d := range s.cfg.Domains {
		if b, ok := strings.CutSuffix(host, "."+strings.ToLower(d)); ok && b != "" {
			return b
		}
	}
	return ""
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// writeError sends S3's XML error document for err.
func (s *Server) writeError(rq *request, err error) {
	e := objstore.AsError(err)
	if e == objstore.ErrInternal || e.Status >= 500 && e.Status != http.StatusNotImplemented {
		s.log.Error("s3 request failed", "method", rq.r.Method, "path", rq.r.URL.Path, "request_id", rq.id, "err", err)
	}
	h := rq.w.Header()
	var dm *objstore.DeleteMarkerError
	if errors.As(err, &dm) {
		h.Set("x-amz-delete-marker", "true")
		h.Set("x-amz-version-id", dm.VersionID)
		if !dm.LastModified.IsZero() {
			h.Set("Last-Modified", dm.LastModified.UTC().Format(http.TimeFormat))
		}
	}
	if rq.r.Method == http.MethodHead || e.Status == http.StatusNotModified {
		rq.w.WriteHeader(e.Status)
		return
	}
	doc := errorDoc{
		Code: e.Code, Message: e.Message, Resource: rq.r.URL.Path,
		Bucket: rq.bucket, Key: rq.key, RequestID: rq.id, HostID: s.hostID,
	}
	h.Set("Content-Type", "application/xml")
	rq.w.WriteHeader(e.Status)
	io.WriteString(rq.w, xml.Header)
	xml.NewEncoder(rq.w).Encode(doc)
}

// writeXML sends a 200 response with an XML body.
func writeXML(rq *request, v any) error {
	rq.w.Header().Set("Content-Type", "application/xml")
	rq.w.WriteHeader(http.StatusOK)
	io.WriteString(rq.w, xml.Header)
	return xml.NewEncoder(rq.w).Encode(v)
}

// maxXMLBody bounds every XML request body (a 1,000-key DeleteObjects or a
// 10,000-part CompleteMultipartUpload fits well within it).
const maxXMLBody = 4 << 20

// readXML decodes a bounded XML request body into v, checking its
// Content-MD5 when one is given.
func readXML(rq *request, v any) error {
	data, err := io.ReadAll(io.LimitReader(rq.body, maxXMLBody+1))
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	if len(data) > maxXMLBody {
		return fmt.Errorf("XML body over %d bytes: %w", maxXMLBody, objstore.ErrMalformedXML)
	}
	if want := rq.r.Header.Get("Content-MD5"); want != "" {
		sum := md5.Sum(data)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != want {
			return fmt.Errorf("Content-MD5 %q of XML body: %w", want, objstore.ErrBadDigest)
		}
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode XML body: %v: %w", err, objstore.ErrMalformedXML)
	}
	return nil
}
