package store

import (
	"context"
	"time"
)

// TimelineReader reads the audit trail of disputes, orders and lines.
type TimelineReader interface {
	ListTimeline(ctx context.Context, f TimelineFilter) ([]TimelineEntry, error)
}

// TimelineWriter writes the audit trail of disputes, orders and lines, inside a Tx. The
// transaction holds the entries until it commits, or reads the timeline, and inserts them
// then, many to a statement: a failure to insert them fails the commit (ErrHeldRows).
type TimelineWriter interface {
	InsertTimeline(ctx context.Context, e TimelineEntry) error
}

// TimelineFilter selects one dispute's, one order's or one line's history (oldest first), or
// what one actor did (newest first, a page of Limit from Offset).
type TimelineFilter struct {
	DisputeID string
	OrderID   string
	LineID    string
	Actor     string // as actor.Actor.String writes it
	Limit     int    // 0: every entry
	Offset    int
}

// TimelineEntry is one line of the audit trail.
type TimelineEntry struct {
	ID        string
	DisputeID string
	OrderID   string
	LineID    string
	Actor     string
	Action    string
	From      string
	To        string
	Note      string
	Payload   []byte // the raw provider payload behind the entry; nil for none
	CreatedAt time.Time
}
