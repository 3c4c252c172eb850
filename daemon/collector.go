package daemon

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Descriptions of the metrics read from the units at each scrape.
var (
	descCacheHits = prometheus.NewDesc("cairn_cache_hits_total",
		"Blocks a mount's cache served, by tier.", []string{"mount", "tier"}, nil)
	descCacheMisses = prometheus.NewDesc("cairn_cache_misses_total",
		"Lookups a mount's cache tier could not serve.", []string{"mount", "tier"}, nil)
	descCacheBytes = prometheus.NewDesc("cairn_cache_bytes",
		"Bytes held in a mount's cache, by tier.", []string{"mount", "tier"}, nil)
	descCacheFetched = prometheus.NewDesc("cairn_cache_fetched_bytes_total",
		"Bytes a mount's cache fetched from the store.", []string{"mount"}, nil)
	descPending = prometheus.NewDesc("cairn_mount_pending_uploads",
		"Files written in a mount and not stored yet (its upload queue).", []string{"mount"}, nil)
	descSyncLag = prometheus.NewDesc("cairn_sync_lag_seconds",
		"Time since a sync last finished a pass without failures.", []string{"sync"}, nil)
	descUnitUp = prometheus.NewDesc("cairn_unit_up",
		"1 when a unit runs, 0 otherwise.", []string{"kind", "name", "state"}, nil)
)

// liveCollector reads the mounts' caches and queues and the syncs' lag
// at each scrape.
type liveCollector struct{ d *Daemon }

// Describe sends the descriptions of the metrics.
func (c *liveCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCacheHits, descCacheMisses, descCacheBytes, descCacheFetched, descPending, descSyncLag, descUnitUp} {
		ch <- d
	}
}

// Collect reads the units.
func (c *liveCollector) Collect(ch chan<- prometheus.Metric) {
	sup := c.d.sup
	if sup == nil {
		return
	}
	for _, st := range sup.units() {
		up := 0.0
		if st.State == StateRunning {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUnitUp, prometheus.GaugeValue, up, st.Kind, st.Name, st.State)
		if st.PendingUploads != nil {
			ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(*st.PendingUploads), st.Name)
		}
		if st.Kind == KindSync && st.LastSync != nil {
			ch <- prometheus.MustNewConstMetric(descSyncLag, prometheus.GaugeValue, time.Since(*st.LastSync).Seconds(), st.Name)
		}
	}
	sup.each(func(name string, u unit) {
		m, ok := u.(*mountUnit)
		if !ok {
			return
		}
		bc := m.bc.Load()
		if bc == nil {
			return
		}
		s := bc.Stats()
		counter := func(d *prometheus.Desc, v int64, labels ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
		}
		counter(descCacheHits, s.MemoryHits, name, "memory")
		counter(descCacheHits, s.DiskHits, name, "disk")
		counter(descCacheMisses, s.MemoryMisses, name, "memory")
		counter(descCacheMisses, s.DiskMisses, name, "disk")
		counter(descCacheFetched, s.FetchedBytes, name)
		ch <- prometheus.MustNewConstMetric(descCacheBytes, prometheus.GaugeValue, float64(s.MemoryBytes), name, "memory")
		ch <- prometheus.MustNewConstMetric(descCacheBytes, prometheus.GaugeValue, float64(s.DiskBytes), name, "disk")
	})
}
