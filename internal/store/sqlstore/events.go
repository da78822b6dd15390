package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertEvent keeps Data as text: it is JSON. An event without data gives back nil Data.
func (c *conn) GetEvent(ctx context.Context, id string) (store.Event, error) {
	r, err := c.q.GetEvent(ctx, id)
	if err != nil {
		return store.Event{}, c.fail(err, "get event %s", id)
	}
	return eventFromRow(r), nil
}

// ListEvents is WalkEvents without a bound.
func (c *conn) ListEvents(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	w, err := c.WalkEvents(ctx, f, 0)
	return w.Rows, err
}

// WalkEvents reads through the index of the first filter given (a dispute's, an order's, a
// type's events: each newest first), else the events newest first, at most readAtMost of them,
// after the cursor; the other filters are checked on the rows read: a common type of a dispute
// with many events, or a rare type with a common one, read row by row.
func (c *conn) WalkEvents(ctx context.Context, f store.EventFilter, readAtMost int) (store.Walk[store.Event], error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"dispute_id", f.DisputeID}, {"order_id", f.OrderID}, {"type", f.Type}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	pg := w.startAfter("created_at", "id", f.Page)
	return walkNewest(ctx, c, "list events", w, walkOf{selectFrom: "SELECT * FROM events", table: "events", walked: "events",
		order: "created_at DESC, id DESC", key: "created_at, id"}, pg, readAtMost, scanEvent)
}

// scanEvent reads a row of SELECT * FROM events, by name.
var scanEvent = scanBy(newByName[query.Event](), func(r query.Event) (store.Event, error) { return eventFromRow(r), nil })

func eventFromRow(r query.Event) store.Event {
	return store.Event{
		ID: r.ID, Type: r.Type, DisputeID: r.DisputeID, OrderID: r.OrderID,
		Data: bytesOrNil([]byte(r.Data)), CreatedAt: fromMillis(r.CreatedAt),
	}
}
