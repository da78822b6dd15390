package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"disputed/internal/app"
	"disputed/internal/money"
	"disputed/internal/store"
)

// ratioMetricsTTL is how long a scrape reuses the figures of the previous one: a scrape never
// costs a ratio query each.
const ratioMetricsTTL = 30 * time.Second

// ratioMetrics is the Prometheus collector of the month-to-date dispute ratios and the open
// disputes, computed on a scrape from figures at most ratioMetricsTTL old.
type ratioMetrics struct {
	app   *app.App
	store store.DashboardReader
	now   func() time.Time
	log   *slog.Logger

	ratio, projected, open, atRisk *prometheus.Desc

	mu      sync.Mutex
	readAt  time.Time
	samples []prometheus.Metric
}

func newRatioMetrics(a *app.App, st store.DashboardReader, now func() time.Time, log *slog.Logger) *ratioMetrics {
	return &ratioMetrics{app: a, store: st, now: now, log: log,
		ratio: prometheus.NewDesc("disputed_dispute_ratio", "The month-to-date dispute ratio of a card network's monitoring program (a fraction).",
			[]string{"network", "program"}, nil),
		projected: prometheus.NewDesc("disputed_dispute_ratio_projected", "The month's dispute ratio projected to its end from its pace (a fraction).",
			[]string{"network", "program"}, nil),
		open: prometheus.NewDesc("disputed_disputes_open", "Open disputes by status.", []string{"status"}, nil),
		atRisk: prometheus.NewDesc("disputed_amount_at_risk", "The amount of the open disputes, in minor units of the currency.",
			[]string{"currency"}, nil),
	}
}

// Describe sends the four descriptions.
func (m *ratioMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.ratio, m.projected, m.open, m.atRisk} {
		ch <- d
	}
}

// Collect sends the figures, read again when they are older than ratioMetricsTTL; when that read
// fails, the previous figures stand and the failure is logged.
func (m *ratioMetrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if now := m.now(); m.samples == nil || now.Sub(m.readAt) >= ratioMetricsTTL {
		if samples, err := m.read(); err != nil {
			m.log.Error("dispute metrics", "err", err)
		} else {
			m.samples, m.readAt = samples, now
		}
	}
	for _, s := range m.samples {
		ch <- s
	}
}

func (m *ratioMetrics) read() ([]prometheus.Metric, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	report, err := m.app.Ratios(ctx, "", "")
	if err != nil {
		return nil, err
	}
	stats, err := m.store.OpenDisputeStats(ctx, m.now())
	if err != nil {
		return nil, err
	}
	var out []prometheus.Metric
	for _, r := range report.Ratios {
		out = append(out, prometheus.MustNewConstMetric(m.ratio, prometheus.GaugeValue, r.Ratio, r.Network, r.Program))
		if r.Projected != nil {
			out = append(out, prometheus.MustNewConstMetric(m.projected, prometheus.GaugeValue, r.Projected.Ratio, r.Network, r.Program))
		}
	}
	open, atRisk := map[string]int64{}, map[string]money.Total{}
	var statuses, currencies []string
	for _, s := range stats {
		if _, seen := open[s.Status]; !seen {
			statuses = append(statuses, s.Status)
		}
		if _, seen := atRisk[s.Currency]; !seen {
			currencies = append(currencies, s.Currency)
		}
		open[s.Status] += s.Count
		atRisk[s.Currency] = atRisk[s.Currency].Plus(s.Amount)
	}
	for _, st := range statuses {
		out = append(out, prometheus.MustNewConstMetric(m.open, prometheus.GaugeValue, float64(open[st]), st))
	}
	for _, c := range currencies {
		out = append(out, prometheus.MustNewConstMetric(m.atRisk, prometheus.GaugeValue, float64(atRisk[c].Value), c))
	}
	return out, nil
}
