package sqlstore

import (
	"cmp"
	"context"
	"maps"
	"math/rand/v2"
	"slices"

	"disputed/internal/store/query"
)

// A transaction keeps two kinds of counters for reads that would otherwise count rows without
// end: the sales of each day, card network and channel (sales_days, for the monitoring
// programs' ratios), and the disputes each rule acted on (rule_acts, for the rules page). It
// counts them as it inserts the rows, and writes the counts when it commits (countPending): one
// statement per counter however many rows it inserted (the appliers record a pass of charges in
// one), the counters in one order, and all in one shard drawn for the transaction. Two
// transactions that count the same counters therefore lock them in the same order and never
// deadlock, and two in different shards do not wait on each other at all.

// counterShards is how many rows hold one counter: concurrent transactions update different
// rows (PostgreSQL holds a row's lock until the commit), and a counter is still a few rows to
// sum.
const counterShards = 8

// pendingCounts are a transaction's additions to counters of key K.
type pendingCounts[K comparable] map[K]int64

func (p *pendingCounts[K]) add(k K) {
	if *p == nil {
		*p = pendingCounts[K]{}
	}
	(*p)[k]++
}

// pending is what a transaction counts until its commit.
type pending struct {
	sales pendingCounts[saleKey]
	acts  pendingCounts[string] // by rule id
}

// clone is a copy, kept at a savepoint to be put back if the savepoint is rolled back.
func (p pending) clone() pending {
	return pending{sales: maps.Clone(p.sales), acts: maps.Clone(p.acts)}
}

// countPending writes the transaction's pending counts, just before it commits: the sales, then
// the rules' acts, each in its keys' order.
func (t *tx) countPending(ctx context.Context) error {
	shard := rand.Int64N(counterShards)
	sales := slices.SortedFunc(maps.Keys(t.pending.sales), func(a, b saleKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.network, b.network), cmp.Compare(a.channel, b.channel))
	})
	for _, k := range sales {
		if err := t.q.CountSales(ctx, query.CountSalesParams{Day: k.day, CardNetwork: k.network, Channel: k.channel,
			Shard: shard, N: t.pending.sales[k]}); err != nil {
			return t.fail(err, "count the sales of day %d", k.day)
		}
	}
	for _, rule := range slices.Sorted(maps.Keys(t.pending.acts)) {
		if err := t.q.CountRuleActs(ctx, query.CountRuleActsParams{RuleID: rule, Shard: shard, N: t.pending.acts[rule]}); err != nil {
			return t.fail(err, "count the disputes rule %s acted on", rule)
		}
	}
	return nil
}
