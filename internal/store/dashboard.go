package store

import (
	"context"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/order"
)

// DashboardReader reads what the dashboard counts.
type DashboardReader interface {
	// OpenDisputeStats counts the open disputes per type, status and currency, with their amount
	// and how many are due by when, against now.
	OpenDisputeStats(ctx context.Context, now time.Time) ([]OpenDisputeStat, error)
	// DisputeOutcomes counts the disputes that ended (resolved_at) at or after since, per type,
	// status and resolution.
	DisputeOutcomes(ctx context.Context, since time.Time) ([]OutcomeCount, error)
	// ManualLines returns up to limit lines whose pending action waits for an admin, longest
	// waiting (oldest updated_at) first.
	ManualLines(ctx context.Context, limit int) ([]order.Line, error)
	// FailedSubmissions returns up to limit open disputes whose answer failed to reach their
	// provider (submission state failed), longest waiting first, and how many there are in all.
	FailedSubmissions(ctx context.Context, limit int) ([]dispute.Dispute, int64, error)
}

// OpenDisputeStat is the open disputes of one type, status and currency.
type OpenDisputeStat struct {
	Type     string
	Status   string
	Currency string
	Count    int64
	Amount   money.Total // the sum of their amounts, in minor units of Currency
	Overdue  int64       // due_by <= now
	Due24    int64       // now < due_by < now+24h
	Due72    int64       // now+24h <= due_by < now+72h
}

// OutcomeCount is how many ended disputes share a type, status and resolution.
type OutcomeCount struct {
	Type       string
	Status     string
	Resolution string
	Count      int64
}
