package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
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

// ActorTimeline returns what one actor did (as actor.Actor.String names it: "app:app_…"),
// newest first, up to limit entries: an app's page lists its actions.
func (a *App) ActorTimeline(ctx context.Context, who actor.Actor, recorded string, limit int) ([]store.TimelineEntry, error) {
	if err := actor.RequireAdmin(who, "read what others did"); err != nil {
		return nil, err
	}
	if recorded == "" {
		return nil, fault.Required("actor")
	}
	return a.store.ListTimeline(ctx, store.TimelineFilter{Actor: recorded, Limit: limit})
}
