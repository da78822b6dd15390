package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/store"
	"disputed/internal/webhook"
)

// entry is a timeline entry about to be written.
type entry struct {
	disputeID, orderID, lineID string
	actor, action, from, to    string
	note                       string
	payload                    []byte // the raw provider event behind the entry
}

func (a *App) timeline(ctx context.Context, tx store.Tx, now time.Time, e entry) error {
	err := tx.InsertTimeline(ctx, store.TimelineEntry{
		ID: a.ids.New("tl"), DisputeID: e.disputeID, OrderID: e.orderID, LineID: e.lineID,
		Actor: e.actor, Action: e.action, From: e.from, To: e.to, Note: e.note, Payload: e.payload, CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("write timeline: %w", err)
	}
	return nil
}

// emit writes an event whose data is object as the API shows it, and its webhook deliveries.
func (a *App) emit(ctx context.Context, tx store.Tx, now time.Time, typ, disputeID, orderID string, object any) error {
	data, err := a.present.Event(object)
	if err != nil {
		return fmt.Errorf("render %s: %w", typ, err)
	}
	ev := store.Event{ID: a.ids.New("evt"), Type: typ, DisputeID: disputeID, OrderID: orderID, Data: data, CreatedAt: now}
	if err := tx.InsertEvent(ctx, ev); err != nil {
		return fmt.Errorf("write event %s: %w", typ, err)
	}
	return webhook.Enqueue(ctx, tx, a.ids, now, ev)
}
