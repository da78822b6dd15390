package store

import (
	"context"
	"time"
)

// EventReader reads the event log.
type EventReader interface {
	GetEvent(ctx context.Context, id string) (Event, error)
	// ListEvents returns a page of events, newest first.
	ListEvents(ctx context.Context, f EventFilter) ([]Event, error)
	// WalkEvents is ListEvents reading at most readAtMost events along the index it walks (the
	// offset's included; the filters after the first are checked on the rows it yields): when
	// it has read that many before it found f.Limit+1 matches, it stops, and says where.
	// readAtMost 0 does not bound the walk.
	WalkEvents(ctx context.Context, f EventFilter, readAtMost int) (Walk[Event], error)
}

// EventWriter writes the event log, inside a Tx. The transaction holds the events until it
// commits, or reads the events, and inserts them then, many to a statement: a failure to
// insert them fails the commit (ErrHeldRows).
type EventWriter interface {
	InsertEvent(ctx context.Context, e Event) error
}

// Event is a record in the event log; Data is the JSON of the object after the change.
type Event struct {
	ID        string
	Type      string
	DisputeID string
	OrderID   string
	Data      []byte
	CreatedAt time.Time
}

// EventFilter selects events (newest first).
type EventFilter struct {
	Page
	Type      string
	DisputeID string
	OrderID   string
}
