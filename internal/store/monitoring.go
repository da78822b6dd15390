package store

import (
	"context"
	"time"
)

// MonitoringReader reads what the card networks' monitoring programs count in a month.
type MonitoringReader interface {
	// SalesCounts counts the charges and captures created in [from, to) per card network and
	// channel. The store keeps the count per UTC day as it inserts each sale, so the bounds are
	// taken as the days they fall in: give day boundaries.
	SalesCounts(ctx context.Context, from, to time.Time) ([]SalesCount, error)
	// MonitoredDisputeCounts counts the disputes that happened in [from, to) which a program may
	// count (chargebacks past the inquiry stage, TC40 and SAFE alerts) by what classifies them
	// (reasoncode.Classify): a few hundred rows at most, however many disputes there are.
	MonitoredDisputeCounts(ctx context.Context, from, to time.Time) ([]MonitoredDisputeCount, error)
	// MonitoringNoticeSent reports whether the crossing n names was announced already.
	MonitoringNoticeSent(ctx context.Context, n MonitoringNotice) (bool, error)
}

// MonitoringWriter records the crossings announced, inside a Tx.
type MonitoringWriter interface {
	// InsertMonitoringNotice records that n was announced; ErrConflict when it was already.
	InsertMonitoringNotice(ctx context.Context, n MonitoringNotice) error
}

// SalesCount is how many sales of one card network and channel ("" when not said) there were.
type SalesCount struct {
	CardNetwork string
	Channel     string
	N           int64
}

// MonitoredDisputeCount is how many disputes of one kind happened.
type MonitoredDisputeCount struct {
	Type              string
	Stage             string
	AlertType         string
	Network           string
	Channel           string // the dispute's channel (dispute.Channel), which names PayPal's cases
	NetworkReasonCode string
	Reason            string
	N                 int64
}

// MonitoringNotice is a crossing announced: one per month, program and level.
type MonitoringNotice struct {
	Month     string // YYYY-MM
	Network   string
	Program   string
	Level     string // the status crossed into: approaching or excessive
	CreatedAt time.Time
}
