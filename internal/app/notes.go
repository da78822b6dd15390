package app

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// AddNote appends an internal note to a dispute.
func (a *App) AddNote(ctx context.Context, who actor.Actor, id, body string) (store.Note, error) {
	if err := staff(who, "write notes"); err != nil {
		return store.Note{}, err
	}
	if len(body) == 0 || len(body) > 10000 {
		return store.Note{}, fault.Invalidf(fault.CodeInvalidValue, "body", "a note has 1 to 10000 characters")
	}
	var n store.Note
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		d, err := tx.GetDispute(ctx, id)
		if err != nil {
			return store.NotFound(err, "dispute", id)
		}
		n = store.Note{ID: a.ids.New("note"), DisputeID: id, Author: who.String(), Body: body, CreatedAt: now}
		if err := tx.InsertNote(ctx, n); err != nil {
			return err
		}
		return a.timeline(ctx, tx, now, entry{disputeID: id, orderID: d.OrderID, actor: who.String(), action: "note_added", note: n.ID})
	})
	return n, err
}

// Notes returns a dispute's internal notes, oldest first.
func (a *App) Notes(ctx context.Context, who actor.Actor, id string) ([]store.Note, error) {
	if err := staff(who, "read notes"); err != nil {
		return nil, err
	}
	if _, err := a.store.GetDispute(ctx, id); err != nil {
		return nil, store.NotFound(err, "dispute", id)
	}
	return a.store.ListNotes(ctx, id)
}
