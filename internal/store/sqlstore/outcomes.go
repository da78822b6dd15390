package sqlstore

import (
	"context"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

func (c *conn) DecidedCounts(ctx context.Context) ([]store.DecidedCount, error) {
	rows, err := c.q.DecidedDisputeCounts(ctx)
	if err != nil {
		return nil, c.fail(err, "decided dispute counts")
	}
	out := make([]store.DecidedCount, len(rows))
	for i, r := range rows {
		out[i] = store.DecidedCount{Won: r.Status == string(dispute.Won), Livemode: r.Livemode, Network: r.Network,
			Channel: r.Channel, NetworkReasonCode: r.NetworkReasonCode, Reason: r.Reason, N: r.N}
	}
	return out, nil
}
