package sqlstore

import (
	"cmp"
	"context"
	"maps"
	"math/rand/v2"
	"slices"
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

// saleShards is how many rows of sales_days count one day, network and channel: concurrent
// transactions update different rows (PostgreSQL holds a row's lock until the commit), and a
// month is still a few hundred rows to sum.
const saleShards = 8

// saleKey is one counter of sales_days, without its shard.
type saleKey struct {
	day     int64
	network string
	channel string
}

// pendingSales are the sales a transaction inserted, counted when it commits: one statement per
// counter however many sales a transaction inserts (the appliers record a pass of charges in
// one), in the counters' order, and all in one shard drawn for the transaction. Two transactions
// that count the same counters therefore lock them in the same order and never deadlock, and
// two in different shards do not wait on each other at all.
type pendingSales map[saleKey]int64

func (p *pendingSales) add(k saleKey) {
	if *p == nil {
		*p = pendingSales{}
	}
	(*p)[k]++
}

// clone is a copy, kept at a savepoint to be put back if the savepoint is rolled back.
func (p pendingSales) clone() pendingSales { return maps.Clone(p) }

// countSales writes the transaction's pending sales, just before it commits.
func (t *tx) countSales(ctx context.Context) error {
	keys := slices.SortedFunc(maps.Keys(t.sales), func(a, b saleKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.network, b.network), cmp.Compare(a.channel, b.channel))
	})
	shard := rand.Int64N(saleShards)
	for _, k := range keys {
		if err := t.q.CountSales(ctx, query.CountSalesParams{Day: k.day, CardNetwork: k.network, Channel: k.channel,
			Shard: shard, N: t.sales[k]}); err != nil {
			return t.fail(err, "count the sales of day %d", k.day)
		}
	}
	return nil
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
