package store

import (
	"context"
	"time"

	"disputed/internal/order"
)

// ActivityReader reads what customers did with the services lines sold.
type ActivityReader interface {
	// ListActivity returns a line's entries newest first (by at, then id); the page's cursor is
	// the (at, id) of the last entry of the previous page.
	ListActivity(ctx context.Context, f ActivityFilter) ([]order.Activity, error)
	// CountActivity counts a line's entries.
	CountActivity(ctx context.Context, lineID string) (int, error)
	// ActivityOfOrder returns the newest limit entries of all the order's lines, newest first.
	ActivityOfOrder(ctx context.Context, orderID string, limit int) ([]order.Activity, error)
	// RecentActivity returns, by line id, the newest perLine entries of each of the order's
	// lines that has any, and how many that line has in all.
	RecentActivity(ctx context.Context, orderID string, perLine int) (map[string]LineActivity, error)
}

// ActivityWriter records line activity, inside a Tx.
type ActivityWriter interface {
	// InsertActivity keeps a unless its line has an entry of the same key (order.Activity.Key):
	// it returns the entry kept, and whether it is a's.
	InsertActivity(ctx context.Context, a order.Activity) (order.Activity, bool, error)
}

// ActivityFilter selects a line's entries: Since <= at < Until, a zero bound not bounding.
type ActivityFilter struct {
	Page
	LineID       string
	Since, Until time.Time
}

// LineActivity is a line's newest entries and how many it has in all.
type LineActivity struct {
	Entries []order.Activity
	Total   int
}
