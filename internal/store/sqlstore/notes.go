package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertNote(ctx context.Context, n store.Note) error {
	err := inserted(t.q.InsertNote(ctx, query.InsertNoteParams{
		ID: n.ID, DisputeID: n.DisputeID, Author: n.Author, Body: n.Body, CreatedAt: millis(n.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert note %s", n.ID)
	}
	return nil
}

func (c *conn) ListNotes(ctx context.Context, disputeID string) ([]store.Note, error) {
	rows, err := c.q.ListNotes(ctx, disputeID)
	if err != nil {
		return nil, c.fail(err, "list notes of dispute %s", disputeID)
	}
	out := make([]store.Note, len(rows))
	for i, r := range rows {
		out[i] = store.Note{ID: r.ID, DisputeID: r.DisputeID, Author: r.Author, Body: r.Body, CreatedAt: fromMillis(r.CreatedAt)}
	}
	return out, nil
}
