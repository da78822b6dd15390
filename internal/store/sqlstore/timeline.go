package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertTimeline(ctx context.Context, e store.TimelineEntry) error {
	err := inserted(t.q.InsertTimeline(ctx, query.InsertTimelineParams{
		ID: e.ID, DisputeID: e.DisputeID, OrderID: e.OrderID, LineID: e.LineID, Actor: e.Actor,
		Action: e.Action, FromState: e.From, ToState: e.To, Note: e.Note, Payload: string(e.Payload), CreatedAt: millis(e.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert timeline entry %s", e.ID)
	}
	return nil
}

// ListTimeline lists oldest first; an empty filter lists every entry.
func (c *conn) ListTimeline(ctx context.Context, f store.TimelineFilter) ([]store.TimelineEntry, error) {
	rows, err := c.q.ListTimeline(ctx, query.ListTimelineParams{
		DisputeID: nullString(f.DisputeID), OrderID: nullString(f.OrderID), LineID: nullString(f.LineID),
	})
	if err != nil {
		return nil, c.fail(err, "list timeline")
	}
	out := make([]store.TimelineEntry, len(rows))
	for i, r := range rows {
		out[i] = store.TimelineEntry{
			ID: r.ID, DisputeID: r.DisputeID, OrderID: r.OrderID, LineID: r.LineID, Actor: r.Actor,
			Action: r.Action, From: r.FromState, To: r.ToState, Note: r.Note, Payload: bytesOrNil([]byte(r.Payload)), CreatedAt: fromMillis(r.CreatedAt),
		}
	}
	return out, nil
}
