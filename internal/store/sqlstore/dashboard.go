package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (c *conn) OpenDisputeStats(ctx context.Context, now time.Time) ([]store.OpenDisputeStat, error) {
	ms := func(t time.Time) sql.NullInt64 { return sql.NullInt64{Int64: millis(t), Valid: true} }
	rows, err := c.q.OpenDisputeStats(ctx, query.OpenDisputeStatsParams{
		Now: ms(now), In24: ms(now.Add(24 * time.Hour)), In72: ms(now.Add(72 * time.Hour))})
	if err != nil {
		return nil, c.fail(err, "open dispute stats")
	}
	out := make([]store.OpenDisputeStat, len(rows))
	for i, r := range rows {
		out[i] = store.OpenDisputeStat{Type: r.Type, Status: r.Status, Currency: r.Currency, Count: r.N,
			Amount: money.Joined(r.AmountHigh, r.AmountLow), Overdue: r.Overdue, Due24: r.Due24, Due72: r.Due72}
	}
	return out, nil
}

func (c *conn) DisputeOutcomes(ctx context.Context, since time.Time) ([]store.OutcomeCount, error) {
	rows, err := c.q.DisputeOutcomes(ctx, sql.NullInt64{Int64: millis(since), Valid: true})
	if err != nil {
		return nil, c.fail(err, "dispute outcomes")
	}
	out := make([]store.OutcomeCount, len(rows))
	for i, r := range rows {
		out[i] = store.OutcomeCount{Type: r.Type, Status: r.Status, Resolution: r.Resolution, Count: r.N}
	}
	return out, nil
}

func (c *conn) ManualLines(ctx context.Context, limit int) ([]order.Line, error) {
	lim := int32(math.MaxInt32)
	if limit > 0 {
		lim = int32(min(limit, math.MaxInt32))
	}
	rows, err := c.q.ManualLines(ctx, lim)
	if err != nil {
		return nil, c.fail(err, "manual lines")
	}
	out := make([]order.Line, len(rows))
	for i, r := range rows {
		out[i] = lineFromRow(r)
	}
	return out, nil
}

func (c *conn) FailedSubmissions(ctx context.Context, limit int) ([]dispute.Dispute, int64, error) {
	lim := int32(math.MaxInt32)
	if limit > 0 {
		lim = int32(min(limit, math.MaxInt32))
	}
	rows, err := c.q.FailedSubmissions(ctx, lim)
	if err != nil {
		return nil, 0, c.fail(err, "failed submissions")
	}
	n, err := c.q.CountFailedSubmissions(ctx)
	if err != nil {
		return nil, 0, c.fail(err, "count failed submissions")
	}
	out := make([]dispute.Dispute, len(rows))
	for i, r := range rows {
		if out[i], err = disputeFromRow(r); err != nil {
			return nil, 0, c.fail(err, "failed submissions")
		}
	}
	return out, n, nil
}
