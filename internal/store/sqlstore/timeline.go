package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ListTimeline lists oldest first, or newest first for an actor's entries; an empty filter lists
// every entry. Like ListDisputes, it
// writes only the conditions of the filters given, the first of them for its index: the fixed
// statement with "$1 IS NULL OR dispute_id = $1" read the whole timeline on SQLite for every
// dispute, order or line shown (two million entries at a million disputes).
func (c *conn) ListTimeline(ctx context.Context, f store.TimelineFilter) ([]store.TimelineEntry, error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"dispute_id", f.DisputeID}, {"order_id", f.OrderID},
		{"line_id", f.LineID}, {"actor", f.Actor}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	q := "SELECT * FROM timeline"
	if len(w.terms) > 0 {
		q += " WHERE " + strings.Join(w.terms, " AND ")
	}
	order := " ORDER BY created_at, id"
	if f.Actor != "" {
		order = " ORDER BY created_at DESC, id DESC"
	}
	if f.Limit > 0 {
		order += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(f.Offset)
	}
	return list(ctx, c, "list timeline", q+order, w.args, scanTimeline)
}

// scanTimeline reads a row of SELECT * FROM timeline, by name.
var scanTimeline = scanBy(newByName[query.Timeline](), timelineFromRow)

func timelineFromRow(r query.Timeline) (store.TimelineEntry, error) {
	return store.TimelineEntry{
		ID: r.ID, DisputeID: r.DisputeID, OrderID: r.OrderID, LineID: r.LineID, Actor: r.Actor,
		Action: r.Action, From: r.FromState, To: r.ToState, Note: r.Note, Payload: bytesOrNil([]byte(r.Payload)), CreatedAt: fromMillis(r.CreatedAt),
	}, nil
}
