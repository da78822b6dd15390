package app

import (
	"context"
	"sync"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// outcomeTTL is how long this process trusts its counts of decided disputes. It forgets them at
// once when it decides a dispute itself; the TTL is for the disputes other servers decide.
const outcomeTTL = 30 * time.Second

// outcomeKey is the kind of dispute whose outcomes the odds are drawn from: the same category on
// the same network, in the same mode (test disputes say nothing of live ones).
type outcomeKey struct {
	livemode bool
	network  string
	category reasoncode.Category
}

// wonLost counts decided disputes.
type wonLost struct{ won, lost int }

// outcomeCounts keeps the merchant's decided disputes counted by kind, for the recommendation on
// every dispute view and list. The count is one GROUP BY over the won and lost disputes that
// reads a partial index alone (store.DecidedCounts), classified here by the reason-code
// catalogue, which SQL cannot read. Rather than keep a counts table in step with every path that
// writes a status (provider events, imports, staff), the result is cached per process: one
// caller refreshes it when it is older than outcomeTTL or was forgotten, while the others keep
// using the counts they have, so no view but the very first waits for the count.
type outcomeCounts struct {
	mu         sync.Mutex
	counts     map[outcomeKey]wonLost
	readAt     time.Time
	stale      bool
	refreshing bool
}

// get returns the counts, reading them again when they are old.
func (c *outcomeCounts) get(ctx context.Context, r store.OutcomeReader, now time.Time) (map[outcomeKey]wonLost, error) {
	c.mu.Lock()
	have := c.counts != nil
	if have && (c.refreshing || (!c.stale && now.Sub(c.readAt) < outcomeTTL)) {
		counts := c.counts
		c.mu.Unlock()
		return counts, nil
	}
	c.refreshing, c.stale = true, false
	c.mu.Unlock()
	rows, err := r.DecidedCounts(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err != nil {
		c.stale = true
		return nil, err
	}
	counts := make(map[outcomeKey]wonLost, len(rows))
	for _, row := range rows {
		d := dispute.Dispute{Network: row.Network, Channel: dispute.Channel(row.Channel)}
		cl := reasoncode.Classify(d.NetworkHint(), row.NetworkReasonCode, row.Reason)
		k := outcomeKey{livemode: row.Livemode, network: cl.Network, category: cl.Category}
		wl := counts[k]
		if row.Won {
			wl.won += int(row.N)
		} else {
			wl.lost += int(row.N)
		}
		counts[k] = wl
	}
	c.counts, c.readAt = counts, now
	return counts, nil
}

// forget makes the next reader count again: a dispute was just decided.
func (c *outcomeCounts) forget() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

// decidedNow reports whether the change from prev to d moved a dispute into or out of the counts.
func decidedNow(prev, d dispute.Dispute) bool {
	counted := func(s dispute.Status) bool { return s == dispute.Won || s == dispute.Lost }
	return prev.Status != d.Status && (counted(prev.Status) || counted(d.Status))
}
