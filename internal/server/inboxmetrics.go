package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"disputed/internal/app"
)

// inboxMetrics are the inbox's figures: its depth (read on a scrape), the size of its group
// commits (how well a burst shares its commits), how long events wait from their arrival to
// their being applied, and how many failed.
type inboxMetrics struct {
	groups   prometheus.Histogram
	lag      prometheus.Histogram
	failures prometheus.Counter
}

// newInboxMetrics registers the inbox's metrics on reg; the depth is read from the app on each
// scrape, failures to read it logged and answered as no sample.
func newInboxMetrics(reg prometheus.Registerer, stats func(context.Context) (int64, int64, error), log *slog.Logger) *inboxMetrics {
	m := &inboxMetrics{
		groups: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "disputed_provider_events_append_group_size",
			Help:    "Provider events written by each group commit of the inbox (a group holds at most 256).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 9)}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "disputed_provider_events_apply_lag_seconds",
			Help:    "Time from a provider event's arrival (acknowledged) to its being applied.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "disputed_provider_events_failed_total",
			Help: "Attempts to apply a provider event that failed (the event is kept failed and tried again)."}),
	}
	depth := prometheus.NewDesc("disputed_provider_events_inbox", "Provider events stored and not applied yet, by state (pending, failed).",
		[]string{"state"}, nil)
	reg.MustRegister(m.groups, m.lag, m.failures, collectorFunc{desc: depth, collect: func(ch chan<- prometheus.Metric) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pending, failed, err := stats(ctx)
		if err != nil {
			log.Warn("reading the inbox's depth", "error", err)
			return
		}
		ch <- prometheus.MustNewConstMetric(depth, prometheus.GaugeValue, float64(pending), "pending")
		ch <- prometheus.MustNewConstMetric(depth, prometheus.GaugeValue, float64(failed), "failed")
	}})
	return m
}

// Appended observes a group commit's size (app.InboxObserver).
func (m *inboxMetrics) Appended(events int) { m.groups.Observe(float64(events)) }

// Applied observes an event's lag (app.InboxObserver).
func (m *inboxMetrics) Applied(lag time.Duration) { m.lag.Observe(lag.Seconds()) }

// Failed counts a failed attempt (app.InboxObserver).
func (m *inboxMetrics) Failed() { m.failures.Inc() }

var _ app.InboxObserver = (*inboxMetrics)(nil)

// collectorFunc is a collector of one description whose samples a function sends.
type collectorFunc struct {
	desc    *prometheus.Desc
	collect func(chan<- prometheus.Metric)
}

func (c collectorFunc) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }
func (c collectorFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }
