package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (c *conn) SalesCounts(ctx context.Context, from, to time.Time) ([]store.SalesCount, error) {
	rows, err := c.q.SalesCounts(ctx, query.SalesCountsParams{FromDay: saleDay(from), ToDay: saleDay(to)})
	if err != nil {
		return nil, c.fail(err, "sales counts of [%s, %s)", from, to)
	}
	out := make([]store.SalesCount, len(rows))
	for i, r := range rows {
		out[i] = store.SalesCount(r)
	}
	return out, nil
}

// saleDay is the UTC day of sales_days that t falls in: its Unix milliseconds divided by a
// day's, as migration 00032 counted the sales already there.
func saleDay(t time.Time) int64 { return millis(t) / (24 * time.Hour).Milliseconds() }

// saleKey is one counter of sales_days, without its shard.
type saleKey struct {
	day     int64
	network string
	channel string
}

func (c *conn) MonitoredDisputeCounts(ctx context.Context, from, to time.Time) ([]store.MonitoredDisputeCount, error) {
	rows, err := c.q.MonitoredDisputeCounts(ctx, query.MonitoredDisputeCountsParams{FromAt: millis(from), ToAt: millis(to)})
	if err != nil {
		return nil, c.fail(err, "monitored dispute counts of [%s, %s)", from, to)
	}
	out := make([]store.MonitoredDisputeCount, len(rows))
	for i, r := range rows {
		out[i] = store.MonitoredDisputeCount(r)
	}
	return out, nil
}

func (c *conn) MonitoringNoticeSent(ctx context.Context, n store.MonitoringNotice) (bool, error) {
	count, err := c.q.MonitoringNoticeSent(ctx, query.MonitoringNoticeSentParams{Month: n.Month, Network: n.Network,
		Program: n.Program, Level: n.Level})
	if err != nil {
		return false, c.fail(err, "monitoring notice %s %s %s %s", n.Month, n.Network, n.Program, n.Level)
	}
	return count > 0, nil
}

func (t *tx) InsertMonitoringNotice(ctx context.Context, n store.MonitoringNotice) error {
	err := inserted(t.q.InsertMonitoringNotice(ctx, query.InsertMonitoringNoticeParams{Month: n.Month, Network: n.Network,
		Program: n.Program, Level: n.Level, CreatedAt: millis(n.CreatedAt)}))
	if err != nil {
		return t.fail(err, "insert monitoring notice %s %s %s %s", n.Month, n.Network, n.Program, n.Level)
	}
	return nil
}
