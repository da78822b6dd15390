package sqlstore

import (
	"context"
	"database/sql"
	"time"

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

// outcomeFacts is the slim projection of the disputes an outcome report reads, through the
// disputes_monitored index; the refunds of a compromise through transactions_dispute, read for
// the compromises alone.
const outcomeFacts = `SELECT d.type, d.alert_type, d.status, d.stage, d.resolution, d.reason, d.network_reason_code,
    d.network, d.channel, d.provider, d.amount, d.currency, d.fees, d.happened_at, d.accepted_at, d.defended_at,
    CASE WHEN d.resolution IN ('partial_refund', 'mutual_agreement') THEN
        (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM transactions t
         WHERE t.dispute_id = d.id AND t.dispute_id <> '' AND t.kind = 'refund' AND t.currency = d.currency)
    ELSE 0 END AS refunded
FROM disputes d
WHERE d.happened_at >= $1 AND d.happened_at < $2`

func (c *conn) EachOutcome(ctx context.Context, from, to time.Time, fn func(store.OutcomeFacts) error) error {
	rows, err := c.query(ctx, outcomeFacts, millis(from), millis(to))
	if err != nil {
		return c.fail(err, "read outcomes")
	}
	defer rows.Close()
	var (
		f                                              store.OutcomeFacts
		typ, alert, status, stage, resolution, channel string
		fees                                           string
		happened, accepted, defended                   sql.NullInt64
	)
	d := &f.Dispute
	for rows.Next() {
		err := rows.Scan(&typ, &alert, &status, &stage, &resolution, &d.Reason, &d.NetworkReasonCode, &d.Network, &channel,
			&d.Provider, &d.Amount, &d.Currency, &fees, &happened, &accepted, &defended, &f.Refunded)
		if err != nil {
			return c.fail(err, "read outcomes")
		}
		var j jsonColumns
		d.Type, d.AlertType, d.Status, d.Stage = dispute.Type(typ), dispute.AlertType(alert), dispute.Status(status), dispute.Stage(stage)
		d.Resolution, d.Channel, d.Fees = dispute.Resolution(resolution), dispute.Channel(channel), j.decodeFees(fees)
		d.HappenedAt, d.AcceptedAt, d.DefendedAt = fromNullMillis(happened), fromNullMillis(accepted), fromNullMillis(defended)
		if j.err != nil {
			return c.fail(j.err, "read outcomes")
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return c.fail(err, "read outcomes")
	}
	return nil
}
