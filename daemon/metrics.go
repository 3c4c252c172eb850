package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cairnfs/cairn/sync/engine"
)

// metrics are the daemon's Prometheus metrics.
type metrics struct {
	reg        *prometheus.Registry
	s3Requests *prometheus.CounterVec
	s3Latency  *prometheus.HistogramVec
	syncPasses *prometheus.CounterVec
	syncFiles  *prometheus.CounterVec
	syncConfl  *prometheus.CounterVec
	syncBytes  *prometheus.CounterVec
	syncLast   *prometheus.GaugeVec

	mu        sync.Mutex
	recorders map[string]*syncRecorder
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		s3Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_s3_requests_total", Help: "S3 requests served, by server, operation and HTTP status.",
		}, []string{"server", "operation", "code"}),
		s3Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cairn_s3_request_duration_seconds", Help: "Time to serve S3 requests, by server and operation.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}, []string{"server", "operation"}),
		syncPasses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sync_passes_total", Help: "Sync passes, by sync and result (ok, failed).",
		}, []string{"sync", "result"}),
		syncFiles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sync_files_total", Help: "Files a sync moved, by action.",
		}, []string{"sync", "action"}),
		syncConfl: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sync_conflicts_total", Help: "Conflicts a sync kept both sides of.",
		}, []string{"sync"}),
		syncBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sync_bytes_total", Help: "Bytes a sync transferred.",
		}, []string{"sync"}),
		syncLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cairn_sync_last_success_timestamp_seconds", Help: "When a sync last finished a pass without failures.",
		}, []string{"sync"}),
		recorders: map[string]*syncRecorder{},
	}
	m.reg.MustRegister(m.s3Requests, m.s3Latency, m.syncPasses, m.syncFiles, m.syncConfl, m.syncBytes, m.syncLast,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// observeS3 counts one S3 request.
func (m *metrics) observeS3(server, op string, status int, d time.Duration) {
	m.s3Requests.WithLabelValues(server, op, strconv.Itoa(status)).Inc()
	m.s3Latency.WithLabelValues(server, op).Observe(d.Seconds())
}

// syncRecorder returns the recorder of the sync name, the same across
// restarts of the unit.
func (m *metrics) syncRecorder(name string) *syncRecorder {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.recorders[name]; ok {
		return r
	}
	r := &syncRecorder{m: m, name: name}
	r.idle = sync.NewCond(&r.mu)
	m.recorders[name] = r
	return r
}

// recordPass counts a pass's outcome.
func (m *metrics) recordPass(name string, s engine.Summary, err error) {
	result := "ok"
	if err != nil || s.Failed > 0 {
		result = "failed"
	}
	m.syncPasses.WithLabelValues(name, result).Inc()
	for action, n := range map[string]int{
		"uploaded": s.Uploaded, "downloaded": s.Downloaded, "deleted_remote": s.DeletedRemote,
		"deleted_local": s.DeletedLocal, "renamed": s.Renamed, "failed": s.Failed,
	} {
		if n > 0 {
			m.syncFiles.WithLabelValues(name, action).Add(float64(n))
		}
	}
	if s.Conflicts > 0 {
		m.syncConfl.WithLabelValues(name).Add(float64(s.Conflicts))
	}
}

// serveMetrics serves /metrics on addr until ctx ends.
func serveMetrics(ctx context.Context, addr string, reg *prometheus.Registry, log *slog.Logger) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	stop := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		<-done
	}
	return ln.Addr().String(), stop, nil
}
