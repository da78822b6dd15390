package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertEvent keeps Data as text: it is JSON. An event without data gives back nil Data.
func (t *tx) InsertEvent(ctx context.Context, e store.Event) error {
	err := inserted(t.q.InsertEvent(ctx, query.InsertEventParams{
		ID: e.ID, Type: e.Type, DisputeID: e.DisputeID, OrderID: e.OrderID, Data: string(e.Data),
		CreatedAt: millis(e.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert event %s", e.ID)
	}
	return nil
}

func (c *conn) GetEvent(ctx context.Context, id string) (store.Event, error) {
	r, err := c.q.GetEvent(ctx, id)
	if err != nil {
		return store.Event{}, c.fail(err, "get event %s", id)
	}
	return eventFromRow(r), nil
}

func (c *conn) ListEvents(ctx context.Context, f store.EventFilter) ([]store.Event, error) {
	pg := pageOf(f.Page)
	rows, err := c.q.ListEvents(ctx, query.ListEventsParams{
		Type: nullString(f.Type), DisputeID: nullString(f.DisputeID), OrderID: nullString(f.OrderID),
		AfterID: pg.afterID, AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	})
	if err != nil {
		return nil, c.fail(err, "list events")
	}
	out := make([]store.Event, len(rows))
	for i, r := range rows {
		out[i] = eventFromRow(r)
	}
	return out, nil
}

func eventFromRow(r query.Event) store.Event {
	return store.Event{
		ID: r.ID, Type: r.Type, DisputeID: r.DisputeID, OrderID: r.OrderID,
		Data: bytesOrNil([]byte(r.Data)), CreatedAt: fromMillis(r.CreatedAt),
	}
}
